# Compiler launcher, linker and sanitizers. Everything here is optional speed-up except the
# sanitizers, which the `dev` preset turns on with MICROSTORE_SANITIZE=ON.

find_program(MICROSTORE_CCACHE ccache)
if(MICROSTORE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${MICROSTORE_CCACHE}")
endif()

find_program(MICROSTORE_MOLD mold)
if(MICROSTORE_MOLD)
  add_link_options(-fuse-ld=mold)
endif()

option(MICROSTORE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(MICROSTORE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Our own code is built with warnings as errors; third-party headers come in as SYSTEM includes
# through their imported targets, so their warnings do not stop the build.
# Two g++ 12 false positives are silenced: -Wrestrict on std::string operator+ at -O2, and
# -Wmismatched-new-delete on Asio's recycling allocator for coroutine frames.
add_library(microstore_warnings INTERFACE)
target_compile_options(microstore_warnings INTERFACE -Wall -Wextra -Werror -Wno-restrict -Wno-mismatched-new-delete)
