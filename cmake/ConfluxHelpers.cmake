# Helpers shared by every in-tree CMakeLists.
#
#   conflux_add_test(NAME router SOURCES router_test.cpp LIBS conflux_http
#                    [LABELS unit|integration] [TIMEOUT seconds])
#     One GoogleTest executable (build/tests/test_<NAME>) and one ctest entry.
#     Integration tests get CONFLUX_BINARY and CONFLUX_BUILD_DIR in their
#     environment.
#
# conflux_add_plugin() comes from sdk/cmake/conflux-sdk-functions.cmake, the
# same file out-of-tree plugins use through find_package(conflux-sdk).
include(conflux-sdk-functions)

function(conflux_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_NAME OR NOT T_SOURCES)
    message(FATAL_ERROR "conflux_add_test: NAME and SOURCES are required")
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set(target test_${T_NAME})
  add_executable(${target} ${T_SOURCES})
  target_link_libraries(${target} PRIVATE ${T_LIBS} GTest::gmock GTest::gtest_main Threads::Threads)
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}")
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests")
  add_test(NAME ${T_NAME} COMMAND ${target})
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "CONFLUX_BINARY=$<TARGET_FILE:conflux>;CONFLUX_BUILD_DIR=${PROJECT_BINARY_DIR};CONFLUX_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
