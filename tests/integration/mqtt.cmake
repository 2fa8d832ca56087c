# MQTT integration tests: a real Mosquitto with the Conflux auth plugin, the
# real conflux binary (owned by the MQTT plugin area).
if(TARGET conflux_plugin_mqtt AND EXISTS /usr/sbin/mosquitto)
  find_library(PAHO_MQTT3C paho-mqtt3c REQUIRED)
  add_library(conflux_mqtt_test_support STATIC mqtt_support.cpp)
  target_include_directories(conflux_mqtt_test_support PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(conflux_mqtt_test_support
    PUBLIC conflux_test_support conflux_store ${PAHO_MQTT3C} nlohmann_json::nlohmann_json)
  conflux_add_test(NAME integration_mqtt SOURCES mqtt_test.cpp
                   LIBS conflux_mqtt_test_support LABELS integration TIMEOUT 300)
  add_dependencies(test_integration_mqtt conflux conflux_plugin_mqtt conflux_mosquitto_auth)
  foreach(plugin rest http)
    if(TARGET conflux_plugin_${plugin})
      add_dependencies(test_integration_mqtt conflux_plugin_${plugin})
    endif()
  endforeach()
endif()
