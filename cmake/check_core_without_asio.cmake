# Guards the one-way dependencies of the modules (CTest test `core_without_asio`):
#   cmake -DSOURCE_DIR=<zerobuffer source tree> -P check_core_without_asio.cmake
# Fails if
# - a file under include/zerobuffer/ (except asio/ and duplex/), libs/core/ or
#   libs/testing/ contains `boost/asio`: the core and the testing module never
#   pull Asio in;
# - a file under libs/core/ or a core header (include/zerobuffer/ except
#   testing/, asio/, duplex/) includes a zerobuffer/testing/ header: the core
#   does not depend on the testing module.
cmake_minimum_required(VERSION 3.20)

if(NOT SOURCE_DIR OR NOT IS_DIRECTORY ${SOURCE_DIR}/include/zerobuffer)
  message(FATAL_ERROR "core_without_asio: SOURCE_DIR (${SOURCE_DIR}) is not a zerobuffer tree")
endif()

file(GLOB_RECURSE public_headers LIST_DIRECTORIES false RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/include/zerobuffer/*)
file(GLOB_RECURSE core_files LIST_DIRECTORIES false RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/libs/core/*)
file(GLOB_RECURSE testing_files LIST_DIRECTORIES false RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/libs/testing/*)
if(NOT core_files)
  message(FATAL_ERROR "core_without_asio: no files under ${SOURCE_DIR}/libs/core")
endif()

set(without_asio ${core_files} ${testing_files})
set(without_testing ${core_files})
foreach(f ${public_headers})
  if(f MATCHES "^include/zerobuffer/(asio|duplex)/")
    continue()
  endif()
  list(APPEND without_asio ${f})
  if(NOT f MATCHES "^include/zerobuffer/testing/")
    list(APPEND without_testing ${f})
  endif()
endforeach()

set(failures 0)
foreach(f ${without_asio})
  file(STRINGS ${SOURCE_DIR}/${f} hits REGEX "boost/asio")
  foreach(line ${hits})
    message(SEND_ERROR "core_without_asio: ${f} mentions boost/asio: ${line}")
    math(EXPR failures "${failures} + 1")
  endforeach()
endforeach()
foreach(f ${without_testing})
  file(STRINGS ${SOURCE_DIR}/${f} hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]zerobuffer/testing/")
  foreach(line ${hits})
    message(SEND_ERROR "core_without_asio: ${f} (core) includes a testing header: ${line}")
    math(EXPR failures "${failures} + 1")
  endforeach()
endforeach()

list(LENGTH without_asio n_asio)
list(LENGTH without_testing n_testing)
if(failures GREATER 0)
  message(FATAL_ERROR "core_without_asio: ${failures} violation(s)")
endif()
message(STATUS "core_without_asio: ${n_asio} files without boost/asio, "
  "${n_testing} core files without testing headers")
