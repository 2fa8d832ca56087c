# `conflux script test` through the real binary (tests/integration/script_cli_test.cpp).
conflux_add_test(NAME integration_script_cli SOURCES script_cli_test.cpp
                 LIBS conflux_test_support nlohmann_json::nlohmann_json
                 LABELS integration TIMEOUT 180)
add_dependencies(test_integration_script_cli conflux)
