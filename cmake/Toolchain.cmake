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

# The `fuzz` preset (tests/fuzz): clang's libFuzzer. Everything compiled gets libFuzzer's
# coverage instrumentation and ASan + UBSan (any finding aborts, so the fuzzer keeps the input);
# only the harnesses link libFuzzer itself (-fsanitize=fuzzer, in tests/fuzz). The top-level
# CMakeLists then builds tests/fuzz alone: the harnesses and the sources they reach.
option(MICROSTORE_FUZZ "Build only the libFuzzer harnesses of tests/fuzz (needs clang)" OFF)
if(MICROSTORE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MICROSTORE_FUZZ needs clang with libFuzzer (Debian: clang-14 libclang-rt-14-dev); "
                        "the fuzz preset uses clang++-14, this is ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}")
  endif()
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer,address,undefined)
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
  ]] MICROSTORE_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT MICROSTORE_HAVE_LIBFUZZER)
    message(FATAL_ERROR "${CMAKE_CXX_COMPILER} cannot link -fsanitize=fuzzer,address,undefined: "
                        "install libclang-rt-14-dev (./microstore install)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # clang 14 with libstdc++ has C++20 coroutines, but Asio 1.81 only detects them in g++.
  add_compile_definitions(BOOST_ASIO_HAS_CO_AWAIT BOOST_ASIO_HAS_STD_COROUTINE)
endif()

# Our own code is built with warnings as errors; third-party headers come in as SYSTEM includes
# through their imported targets, so their warnings do not stop the build.
# Two g++ 12 false positives are silenced: -Wrestrict on std::string operator+ at -O2, and
# -Wmismatched-new-delete on Asio's recycling allocator for coroutine frames.
add_library(microstore_warnings INTERFACE)
target_compile_options(microstore_warnings INTERFACE -Wall -Wextra -Werror -Wno-restrict -Wno-mismatched-new-delete
                       $<$<CXX_COMPILER_ID:Clang>:-Wno-unknown-warning-option>)
