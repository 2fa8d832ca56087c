# conflux_add_plugin(NAME <name> SOURCES <files...> [LIBS <libs...>])
#
# Builds a Conflux plugin: a MODULE library named conflux-plugin-<name>.so that
# links only conflux::sdk (plus LIBS) and refuses undefined symbols at link
# time. In the Conflux tree it lands in build/plugins/; out of tree in the
# current binary dir (or CONFLUX_PLUGIN_OUTPUT_DIR when set).
#
# Symbols keep default visibility on purpose: header-only libraries shared
# with the host (Boost.Asio above all) keep per-thread state in template
# static members, which must resolve to the host's single instance (the
# conflux executable exports them). A plugin built with hidden visibility gets
# private copies and crashes the first time it does I/O on Host::io().
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
    LIBRARY_OUTPUT_DIRECTORY "${out}")
  target_link_options(${target} PRIVATE "LINKER:--no-undefined")
endfunction()
