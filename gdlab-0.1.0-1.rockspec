-- SPDX-License-Identifier: MIT
-- The gdlab Lua module as a rock (docs/install.md): `luarocks --lua-version 5.4 make` in the source
-- folder builds it with CMake and installs the module, with libgdlab, libgdlab-figure and the
-- built-in plugins in a gdlab/ folder beside it (packaging/install.cmake, GDLAB_LUAROCKS_LIBDIR).
-- Needs Debian's cmake, pkg-config, liblua5.4-dev, libplplot-dev and libcairo2-dev (setup.sh lists them).
rockspec_format = "3.0"
package = "gdlab"
version = "0.1.0-1"
source = {
   -- Built from a checkout: `luarocks make` takes the source folder it runs in.
   url = "git+file:///gdlab",
   tag = "v0.1.0",
}
description = {
   summary = "Gradient-descent laboratory: see how optimizers move on loss surfaces",
   detailed = [[
      Loss surfaces and optimizers as plugins of a C engine, runs and sweeps from Lua 5.4, and
      figures (contour maps with trajectories, 3-D surfaces, loss curves, animations) drawn by PLplot.
   ]],
   license = "MIT",
   labels = { "optimization", "education", "plotting" },
}
dependencies = {
   "lua >= 5.4, < 5.5",
}
build = {
   type = "cmake",
   variables = {
      CMAKE_BUILD_TYPE = "Release",
      GDLAB_BUILD_TESTS = "OFF",
      GDLAB_LUAROCKS_LIBDIR = "$(LIBDIR)",
      CMAKE_INSTALL_PREFIX = "$(PREFIX)",
   },
}
