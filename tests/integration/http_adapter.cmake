# HTTP adapter and readers over real HTTP: the real binary with the rest and
# http plugins (owned by plugins/http).
if(TARGET conflux_plugin_rest AND TARGET conflux_plugin_http)
  foreach(t http_adapter readers http_backpressure)
    conflux_add_test(NAME integration_${t} SOURCES ${t}_test.cpp
                     LIBS conflux_test_support nlohmann_json::nlohmann_json
                     LABELS integration TIMEOUT 300)
    add_dependencies(test_integration_${t} conflux conflux_plugin_rest conflux_plugin_http)
  endforeach()
endif()
