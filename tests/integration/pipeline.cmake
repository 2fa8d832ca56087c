# Pipeline crash safety: a child process ingests through env + store +
# pipeline and is killed with SIGKILL at random points; every acknowledged
# message must be in the reopened store.
add_executable(pipeline_crash_child pipeline_crash_child.cpp)
target_link_libraries(pipeline_crash_child PRIVATE conflux_pipeline Threads::Threads)
target_include_directories(pipeline_crash_child PRIVATE "${PROJECT_SOURCE_DIR}")
set_target_properties(pipeline_crash_child PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests")

conflux_add_test(NAME integration_pipeline_crash SOURCES pipeline_crash_test.cpp
                 LIBS conflux_pipeline LABELS integration TIMEOUT 300)
target_compile_definitions(test_integration_pipeline_crash PRIVATE
  CONFLUX_PIPELINE_CRASH_CHILD="$<TARGET_FILE:pipeline_crash_child>")
add_dependencies(test_integration_pipeline_crash pipeline_crash_child)
