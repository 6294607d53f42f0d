# hallmark_module(NAME SOURCES ... DEPS ... [ATEN])
#   One static library per top-level folder. Public headers live at <module>/*.h and are
#   included as "module/header.h" from the repository root. ATEN turns on the shared
#   precompiled <ATen/ATen.h>.
function(hallmark_module name)
  cmake_parse_arguments(M "ATEN" "" "SOURCES;DEPS" ${ARGN})
  add_library(hallmark_${name} STATIC ${M_SOURCES})
  target_include_directories(hallmark_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(hallmark_${name} PUBLIC ${M_DEPS})
  if(M_ATEN)
    hallmark_use_aten(hallmark_${name})
  endif()
endfunction()

# Precompiled <ATen/ATen.h>, built once and reused by every target that needs ATen.
add_library(hallmark_aten_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
target_link_libraries(hallmark_aten_pch PUBLIC torch OpenMP::OpenMP_CXX)
target_precompile_headers(hallmark_aten_pch PRIVATE <ATen/ATen.h>)

function(hallmark_use_aten target)
  target_link_libraries(${target} PUBLIC torch OpenMP::OpenMP_CXX)
  target_precompile_headers(${target} REUSE_FROM hallmark_aten_pch)
endfunction()

# hallmark_test(NAME SOURCES ... DEPS ... [ATEN])
#   A Catch2 v2 executable whose test cases are registered with CTest one by one.
function(hallmark_test name)
  cmake_parse_arguments(T "ATEN" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE hallmark_catch_main hallmark_test_support ${T_DEPS})
  target_compile_definitions(${name} PRIVATE
    HALLMARK_SOURCE_DIR="${PROJECT_SOURCE_DIR}" HALLMARK_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(T_ATEN)
    hallmark_use_aten(${name})
  endif()
  catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES TIMEOUT 900
    DISCOVERY_TIMEOUT 60)
endfunction()
