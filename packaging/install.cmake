# SPDX-License-Identifier: MIT
# Installation: the one place that says where every installed file goes (docs/install.md has the table).
# Two layouts:
#   - an install (`cmake --install`, the .deb): GNUInstallDirs folders under the prefix, with the CMake
#     package (gdlabConfig.cmake), pkg-config files and man pages;
#   - a LuaRocks build (GDLAB_LUAROCKS_LIBDIR, set by the rockspec): only the Lua module, in that folder,
#     with libgdlab, libgdlab-figure and the plugins in its gdlab/ subfolder. LuaRocks deploys that
#     folder's contents into the tree's lib/lua/5.4/, so the module finds its libraries at $ORIGIN/gdlab.
# Neither layout holds an absolute path: RPATHs are $ORIGIN-relative, libgdlab finds its plugins beside
# itself, and gdlab*.pc and gdlabConfig.cmake find the prefix from their own folder. An installed tree
# can be moved, or installed with `cmake --install --prefix DIR` elsewhere than the configured prefix.

get_property(gdlab_plugin_targets GLOBAL PROPERTY GDLAB_PLUGINS)

# install_plugins(DIR): every built-in plugin into DIR/surfaces or DIR/optimizers.
function(gdlab_install_plugins dir)
  foreach(target IN LISTS gdlab_plugin_targets)
    get_target_property(kind ${target} GDLAB_PLUGIN_KIND)
    install(TARGETS ${target} LIBRARY DESTINATION ${dir}/${kind}s)
  endforeach()
endfunction()

if(GDLAB_LUAROCKS_LIBDIR)
  set_target_properties(gdlab_lua_module PROPERTIES INSTALL_RPATH "$ORIGIN/gdlab")
  install(TARGETS gdlab_lua_module LIBRARY DESTINATION ${GDLAB_LUAROCKS_LIBDIR})
  # Only the file the loader asks for, libgdlab.so.0, as a file: LuaRocks' deploy step breaks symlinks
  # (the real file libgdlab.so.0.1.0 moves first), and a module needs no development symlink.
  set_target_properties(gdlab_engine gdlab_figure PROPERTIES VERSION 0)
  install(TARGETS gdlab_engine gdlab_figure LIBRARY DESTINATION ${GDLAB_LUAROCKS_LIBDIR}/gdlab
          NAMELINK_SKIP)
  gdlab_install_plugins(${GDLAB_LUAROCKS_LIBDIR}/gdlab/plugins)
  return()
endif()

set(GDLAB_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/gdlab)
set(GDLAB_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/gdlab/plugins)

# ---- the command, the libraries, the plugins, the Lua module, the headers ------------------------------
# The command and the module find the libraries relative to themselves (bin/../LIBDIR, LIBDIR/lua/5.4/../..).
file(RELATIVE_PATH gdlab_bin_to_lib ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
set_target_properties(gdlab PROPERTIES INSTALL_RPATH "$ORIGIN/${gdlab_bin_to_lib}")
set_target_properties(gdlab_lua_module PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
install(TARGETS gdlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS gdlab_lua_module LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/lua/5.4)
gdlab_install_plugins(${GDLAB_INSTALL_PLUGINDIR})
install(DIRECTORY core/include/gdlab DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

# Imported targets gdlab::engine, gdlab::figure and gdlab::plugin. The figure library has an export set
# of its own so that find_package(gdlab) works without PLplot for users of the engine alone.
set_target_properties(gdlab_engine PROPERTIES EXPORT_NAME engine)
set_target_properties(gdlab_figure PROPERTIES EXPORT_NAME figure)
set_target_properties(gdlab_plugin PROPERTIES EXPORT_NAME plugin)
install(TARGETS gdlab_engine gdlab_plugin EXPORT gdlabTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS gdlab_figure EXPORT gdlabFigureTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT gdlabTargets NAMESPACE gdlab:: DESTINATION ${GDLAB_INSTALL_CMAKEDIR})
install(EXPORT gdlabFigureTargets NAMESPACE gdlab:: DESTINATION ${GDLAB_INSTALL_CMAKEDIR})

# ---- find_package(gdlab) ---------------------------------------------------------------------------------
include(CMakePackageConfigHelpers)
configure_package_config_file(packaging/gdlabConfig.cmake.in ${CMAKE_BINARY_DIR}/gdlabConfig.cmake
  INSTALL_DESTINATION ${GDLAB_INSTALL_CMAKEDIR} PATH_VARS GDLAB_INSTALL_PLUGINDIR)
# 0.x: a minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/gdlabConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/gdlabConfig.cmake ${CMAKE_BINARY_DIR}/gdlabConfigVersion.cmake
        DESTINATION ${GDLAB_INSTALL_CMAKEDIR})

# ---- pkg-config: gdlab (the engine), gdlab-figure, gdlab-plugin (headers only) ---------------------------
# Each .pc file finds the prefix from its own folder (${pcfiledir}), LIBDIR/pkgconfig.
file(RELATIVE_PATH GDLAB_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" GDLAB_PC_TO_PREFIX "${GDLAB_PC_TO_PREFIX}")
file(RELATIVE_PATH GDLAB_PC_INCLUDEDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_INCLUDEDIR})
foreach(pc gdlab gdlab-figure gdlab-plugin)
  configure_file(packaging/pkgconfig/${pc}.pc.in ${CMAKE_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/pkgconfig/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

# ---- man pages, compressed as Debian wants them (man reads them either way) ------------------------------
find_program(GDLAB_GZIP gzip REQUIRED)
foreach(page gdlab.1 gdlab-plugin.7)
  string(REGEX REPLACE ".*\\." "" section ${page})
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${GDLAB_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/docs/man/${page} > ${CMAKE_BINARY_DIR}/man/${page}.gz
    DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/${page} VERBATIM)
  list(APPEND gdlab_man_pages ${CMAKE_BINARY_DIR}/man/${page}.gz)
  install(FILES ${CMAKE_BINARY_DIR}/man/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(gdlab_man_pages ALL DEPENDS ${gdlab_man_pages})

# ---- documentation, lessons, the plugin template ---------------------------------------------------------
# The Debian-format copyright file carries the license; the changelog is Debian's changelog.gz.
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} PATTERN man EXCLUDE)
install(FILES packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/changelog.gz
  COMMAND ${GDLAB_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/packaging/debian/changelog > ${CMAKE_BINARY_DIR}/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/debian/changelog VERBATIM)
add_custom_target(gdlab_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/changelog.gz)
install(FILES ${CMAKE_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY scripts/lessons/ DESTINATION ${CMAKE_INSTALL_DATADIR}/gdlab/lessons)
install(FILES plugins/template/Makefile plugins/template/my_optimizer.c plugins/template/my_surface.c
        DESTINATION ${CMAKE_INSTALL_DATADIR}/gdlab/plugin-template)
# Lintian's overrides, each with its reason (packaging/debian/lintian-overrides): for the .deb, which
# installs to /usr (packaging/cpack.cmake insists).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  install(FILES packaging/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
          RENAME gdlab)
endif()
