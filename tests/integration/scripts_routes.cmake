# Scripts routes over real HTTP: the real binary with the rest plugin (the
# routes) and the http plugin (messages in, readers out).
if(TARGET conflux_plugin_rest AND TARGET conflux_plugin_http)
  conflux_add_test(NAME integration_scripts_routes SOURCES scripts_routes_test.cpp
                   LIBS conflux_test_support nlohmann_json::nlohmann_json
                   LABELS integration TIMEOUT 300)
  add_dependencies(test_integration_scripts_routes conflux conflux_plugin_rest
                   conflux_plugin_http)
endif()
