# Registry integration tests: the real conflux binary with the rest plugin
# (owned by the registry area).
if(TARGET conflux_plugin_rest)
  conflux_add_test(NAME integration_registry SOURCES registry_test.cpp
                   LIBS conflux_test_support nlohmann_json::nlohmann_json
                   LABELS integration TIMEOUT 300)
  add_dependencies(test_integration_registry conflux conflux_plugin_rest)
endif()
