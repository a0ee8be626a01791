# Installs the zerobuffer build tree into a fresh prefix, then configures, builds
# and runs test/install_consumer against it. Driven by the CTest test
# `install_consumer`:
#   cmake -DZEROBUFFER_BINARY_DIR=... -DCONSUMER_SOURCE_DIR=... -DWORK_DIR=...
#         [-DCONFIG=...] [-DGENERATOR=...] [-DCXX_COMPILER=...] [-DCXX_FLAGS=a;b]
#         -P run_install_consumer.cmake
cmake_minimum_required(VERSION 3.20)

foreach(var ZEROBUFFER_BINARY_DIR CONSUMER_SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "run_install_consumer: ${var} is not set")
  endif()
endforeach()

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install_consumer: ${what} failed (${rc})")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(config_args "")
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run_step("install" ${CMAKE_COMMAND} --install ${ZEROBUFFER_BINARY_DIR} --prefix ${prefix}
  ${config_args})

foreach(f include/zerobuffer/zerobuffer.hpp
          lib/cmake/zerobuffer/zerobuffer-config.cmake
          lib/cmake/zerobuffer/zerobuffer-config-version.cmake
          lib/cmake/zerobuffer/zerobuffer-targets.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install_consumer: ${prefix}/${f} was not installed")
  endif()
endforeach()

set(configure_args -S ${CONSUMER_SOURCE_DIR} -B ${build}
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DEXPECTED_ZEROBUFFER_DIR=${prefix}/lib/cmake/zerobuffer)
if(GENERATOR)
  list(APPEND configure_args -G ${GENERATOR})
endif()
if(CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(CONFIG)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${CONFIG})
endif()
if(CXX_FLAGS)
  # The library was built with sanitizers: the consumer must link their runtimes.
  string(REPLACE ";" " " flags "${CXX_FLAGS}")
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
endif()

run_step("configure" ${CMAKE_COMMAND} ${configure_args})
run_step("build" ${CMAKE_COMMAND} --build ${build} ${config_args})

find_program(consumer zerobuffer_consumer PATHS ${build} ${build}/${CONFIG} NO_DEFAULT_PATH)
if(NOT consumer)
  message(FATAL_ERROR "install_consumer: the consumer executable was not built")
endif()
run_step("run" ${consumer})
message(STATUS "install_consumer: passed")
