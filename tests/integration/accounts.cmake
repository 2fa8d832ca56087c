# Accounts over HTTP: the real binary with the rest plugin.
conflux_add_test(NAME integration_accounts SOURCES accounts_test.cpp
                 LIBS conflux_test_support nlohmann_json::nlohmann_json
                 LABELS integration TIMEOUT 300)
if(TARGET conflux_plugin_rest)
  add_dependencies(test_integration_accounts conflux conflux_plugin_rest)
else()
  add_dependencies(test_integration_accounts conflux)
endif()
