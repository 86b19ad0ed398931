# SPDX-License-Identifier: MIT
# The Debian package: `cpack -G DEB` in a build configured for /usr (docs/install.md says how).
# One package, gdlab, holds everything an install holds; dependencies come from dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME gdlab)
set(CPACK_PACKAGE_VENDOR "the gdlab authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "gradient-descent laboratory: see how optimizers move on loss surfaces")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "the gdlab authors <gdlab@lists.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # gdlab_VERSION_ARCH.deb
# The extended description; CPack puts the summary above it as the synopsis, indents each line and
# turns the empty line into Debian's " ." paragraph break.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "gdlab is a toolkit for seeing and teaching how gradient-descent optimizers
move on loss surfaces. A C engine loads surfaces and optimizers as plugins
through one small versioned ABI; Lua 5.4 lesson scripts run experiments
through the gdlab command or the gdlab Lua module; PLplot draws contour
maps, 3-D surfaces, loss curves and animations on any of its devices.

This package holds the gdlab command, the libgdlab and libgdlab-figure
libraries, the Lua module, the built-in plugins, the lessons, the plugin
template, and the headers, CMake and pkg-config files for C programs and
plugins.")
# Libraries' and the command's dependencies from dpkg-shlibdeps. What is loaded at run time rather
# than linked is named by hand: PLplot's cairo driver draws the PNG, SVG and PDF figures, in DejaVu
# Sans, whose advance widths the figure layout assumes (core/figure/textwidth.c).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libgdlab's shlibs file and an ldconfig trigger are written here rather than by CPack's
# GENERATE_SHLIBS, which runs ldconfig from maintainer scripts (lintian: maintscript-calls-ldconfig).
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/shlibs.in ${CMAKE_BINARY_DIR}/debian/shlibs @ONLY)
# CPack writes postinst and postrm calling ldconfig unless the package brings its own: these do nothing.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/shlibs
    ${CMAKE_CURRENT_LIST_DIR}/debian/triggers ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "plplot-driver-cairo, fonts-dejavu-core")
# A C compiler turns formula surfaces into native code (without one they are evaluated by a tape);
# pkg-config and lua5.4 are how C programs, plugins and a stock interpreter reach gdlab.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gcc | c-compiler, lua5.4, pkg-config")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libplplot-dev")

# A .deb installs to /usr: a build configured for another prefix has its LIBDIR wrong for Debian.
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/cpack_check.cmake)
set(CPACK_GDLAB_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
include(CPack)
