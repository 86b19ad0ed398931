# SPDX-License-Identifier: MIT
# Run by cpack before packaging (CPACK_PROJECT_CONFIG_FILE): refuses a .deb of a build for another prefix.
if(CPACK_GENERATOR STREQUAL "DEB" AND NOT CPACK_GDLAB_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "gdlab: a .deb installs to /usr, but this build was configured for "
    "CMAKE_INSTALL_PREFIX=${CPACK_GDLAB_INSTALL_PREFIX}: configure a build with "
    "-DCMAKE_INSTALL_PREFIX=/usr for it (docs/install.md)")
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
