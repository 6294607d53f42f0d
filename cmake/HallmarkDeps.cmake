# Every dependency comes from a Debian 12 package (scripts/setup.sh installs them).
# On CUDA machines pass -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
# to build against the libtorch inside the PyTorch wheel instead.
find_package(Torch REQUIRED)
# at::parallel_for is a header template: with the OpenMP backend (Debian's libtorch, the wheel's)
# its `#pragma omp parallel` is compiled into our code and runs on one thread unless we build
# with OpenMP too. libtorch already links libgomp, so this adds no runtime.
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)
find_package(Catch2 2 REQUIRED)
find_package(Threads REQUIRED)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# Linking against libtorch is slow with bfd; lld is in Debian and much faster.
find_program(LLD_PROGRAM ld.lld)
if(LLD_PROGRAM)
  add_link_options(-fuse-ld=lld)
endif()

# Executables that dlopen the SentencePiece wrapper must be -fPIC, not -fPIE, so that the
# standard streams are not copy-relocated (see ARCHITECTURE.md). We compile everything -fPIC.
set(CMAKE_POSITION_INDEPENDENT_CODE OFF)
add_compile_options(-fPIC)

add_compile_options(-Wall -Wextra -Wpedantic -Wno-unused-parameter)
# GCC 12 reports false array-bounds / restrict / stringop errors inside libstdc++'s
# std::string at -O2 (GCC bugs 105329, 105651); they would make -Werror fail on correct code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-array-bounds -Wno-restrict -Wno-stringop-overflow -Wno-stringop-overread)
endif()
if(HALLMARK_WERROR)
  add_compile_options(-Werror)
endif()
if(HALLMARK_SANITIZE)
  # The sanitizers' instrumentation makes GCC report false maybe-uninitialized warnings in libstdc++.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
                      -Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
endif()
