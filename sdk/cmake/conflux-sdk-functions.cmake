# conflux_add_plugin(NAME <name> SOURCES <files...> [LIBS <libs...>])
#
# Builds a Conflux plugin: a MODULE library named conflux-plugin-<name>.so that
# links only conflux::sdk (plus LIBS), exports nothing but the plugin entry
# points, and refuses undefined symbols at link time. In the Conflux tree it
# lands in build/plugins/; out of tree in the current binary dir (or
# CONFLUX_PLUGIN_OUTPUT_DIR when set).
function(conflux_add_plugin)
  cmake_parse_arguments(P "" "NAME;OUTPUT_DIRECTORY" "SOURCES;LIBS" ${ARGN})
  if(NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "conflux_add_plugin: NAME and SOURCES are required")
  endif()
  set(target conflux_plugin_${P_NAME})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE conflux::sdk ${P_LIBS})
  target_compile_features(${target} PRIVATE cxx_std_23)
  if(P_OUTPUT_DIRECTORY)
    set(out "${P_OUTPUT_DIRECTORY}")
  elseif(CONFLUX_PLUGIN_OUTPUT_DIR)
    set(out "${CONFLUX_PLUGIN_OUTPUT_DIR}")
  else()
    set(out "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "conflux-plugin-${P_NAME}"
    LIBRARY_OUTPUT_DIRECTORY "${out}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE "LINKER:--no-undefined")
endfunction()
