# zerobuffer_add_module(NAME <m> [DEPENDS <targets...>] [PRIVATE_DEPENDS <targets...>]
#                       [HEADERS <globs...>])
#
# One library per module: target zerobuffer_<m> (alias and export name
# zerobuffer::<m>, file libzerobuffer_<m>.a) built from libs/<m>/src/*.cpp only.
# DEPENDS are linked PUBLIC (other modules, e.g. zerobuffer::core, and what the
# module's headers need), PRIVATE_DEPENDS privately. HEADERS are globs relative
# to include/zerobuffer (default: <m>/*.hpp), listed in the target for IDEs.
# The target gets the library warnings (zerobuffer_set_warnings), the
# sanitizers of ZEROBUFFER_SANITIZE (add_compile_options in the root
# CMakeLists.txt) and is installed into the export set zerobuffer-targets.
# Its name is appended to the global property ZEROBUFFER_MODULES (the
# umbrella zerobuffer::zerobuffer and the package components).
function(zerobuffer_add_module)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "DEPENDS;PRIVATE_DEPENDS;HEADERS")
  if(NOT arg_NAME)
    message(FATAL_ERROR "zerobuffer_add_module: NAME is required")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "zerobuffer_add_module: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(m ${arg_NAME})
  set(target zerobuffer_${m})

  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/libs/${m}/src/*.cpp)
  if(NOT sources)
    message(FATAL_ERROR "zerobuffer_add_module: no libs/${m}/src/*.cpp")
  endif()
  if(NOT arg_HEADERS)
    set(arg_HEADERS ${m}/*.hpp)
  endif()
  set(headers "")
  foreach(pattern ${arg_HEADERS})
    file(GLOB found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/zerobuffer/${pattern})
    list(APPEND headers ${found})
  endforeach()
  file(GLOB private_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/libs/${m}/src/*.hpp)

  add_library(${target} ${sources} ${private_headers} ${headers})
  add_library(zerobuffer::${m} ALIAS ${target})
  set_target_properties(${target} PROPERTIES
    EXPORT_NAME ${m}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${arg_DEPENDS} PRIVATE ${arg_PRIVATE_DEPENDS})
  zerobuffer_set_warnings(${target})

  install(TARGETS ${target} EXPORT zerobuffer-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  set_property(GLOBAL APPEND PROPERTY ZEROBUFFER_MODULES ${m})
endfunction()
