# Installs the zerobuffer build tree into a fresh prefix, then configures, builds
# and runs test/install_consumer against it (COMPONENTS core testing duplex), and
# configures two probe projects: one without COMPONENTS (every module found),
# one asking for COMPONENTS nonexistent with REQUIRED (must fail). Driven by the
# CTest test `install_consumer`:
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
          include/zerobuffer/reader.hpp
          include/zerobuffer/protocol/layout.hpp
          include/zerobuffer/testing/buffer_naming_service.hpp
          include/zerobuffer/testing/test_data_patterns.hpp
          include/zerobuffer/duplex.hpp
          include/zerobuffer/duplex/server.hpp
          include/zerobuffer/duplex/detail/response_order.hpp
          lib/cmake/zerobuffer/zerobuffer-config.cmake
          lib/cmake/zerobuffer/zerobuffer-config-version.cmake
          lib/cmake/zerobuffer/zerobuffer-targets.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install_consumer: ${prefix}/${f} was not installed")
  endif()
endforeach()
# One library per module (static or shared, whichever was built).
foreach(m core testing duplex)
  file(GLOB found ${prefix}/lib/libzerobuffer_${m}.*)
  if(NOT found)
    message(FATAL_ERROR "install_consumer: ${prefix}/lib/libzerobuffer_${m}.* was not installed")
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
find_program(duplex_consumer zerobuffer_duplex_consumer PATHS ${build} ${build}/${CONFIG}
  NO_DEFAULT_PATH)
if(NOT duplex_consumer)
  message(FATAL_ERROR "install_consumer: the duplex consumer executable was not built")
endif()
run_step("run duplex" ${duplex_consumer})
find_program(asio_consumer zerobuffer_asio_consumer PATHS ${build} ${build}/${CONFIG}
  NO_DEFAULT_PATH)
if(NOT asio_consumer)
  message(FATAL_ERROR "install_consumer: the asio consumer executable was not built")
endif()
run_step("run asio" ${asio_consumer})

# Probe projects, configured only.
set(probe_args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(GENERATOR)
  list(APPEND probe_args -G ${GENERATOR})
endif()
if(CXX_COMPILER)
  list(APPEND probe_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()

# No COMPONENTS: every installed module, and the umbrella.
file(WRITE ${WORK_DIR}/probe_all/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.20)
project(zerobuffer_probe_all LANGUAGES CXX)
find_package(zerobuffer CONFIG REQUIRED)
foreach(comp core testing)
  if(NOT zerobuffer_${comp}_FOUND OR NOT TARGET zerobuffer::${comp})
    message(FATAL_ERROR "without COMPONENTS, ${comp} was not found")
  endif()
endforeach()
if(NOT TARGET zerobuffer::zerobuffer)
  message(FATAL_ERROR "without COMPONENTS, zerobuffer::zerobuffer is not defined")
endif()
]=])
run_step("configure without COMPONENTS" ${CMAKE_COMMAND} -S ${WORK_DIR}/probe_all
  -B ${WORK_DIR}/probe_all/build ${probe_args})

# An unknown component with REQUIRED must fail to configure, naming it.
file(WRITE ${WORK_DIR}/probe_unknown/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.20)
project(zerobuffer_probe_unknown LANGUAGES CXX)
find_package(zerobuffer CONFIG REQUIRED COMPONENTS core nonexistent)
message(STATUS "probe_unknown: zerobuffer was found with COMPONENTS nonexistent")
]=])
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/probe_unknown
    -B ${WORK_DIR}/probe_unknown/build ${probe_args}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "install_consumer: COMPONENTS nonexistent configured successfully:\n${out}")
endif()
if(NOT err MATCHES "unknown or not installed component\\(s\\): nonexistent")
  message(FATAL_ERROR "install_consumer: COMPONENTS nonexistent failed for another reason:\n${err}")
endif()
message(STATUS "install_consumer: COMPONENTS nonexistent is refused, as it should be")
message(STATUS "install_consumer: passed")
