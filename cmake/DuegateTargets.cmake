# Helpers that keep every module's CMakeLists.txt to a few lines.
#
# duegate_module(NAME DIR dir DEPS ...) - a static library from every .cpp below dir (recursive),
#   public include root = the repository root (so code includes "parsers/bank/Coda.h").
#   EXCLUDE files (paths from the repository root) that another library builds.
# duegate_test_suite(NAME DIR dir DEPS ...) - one Boost.Test executable from every .cpp in dir,
#   registered with CTest under the label "unit".

function(duegate_module name)
  cmake_parse_arguments(M "" "DIR" "DEPS;SYSTEM_DEPS;EXCLUDE" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${M_DIR}/*.cpp")
  foreach(x ${M_EXCLUDE})
    list(REMOVE_ITEM srcs "${PROJECT_SOURCE_DIR}/${x}")
  endforeach()
  if(NOT srcs)
    # A module that is still headers only: an interface library keeps the dependency graph intact.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${M_DEPS})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${M_DEPS})
  target_link_libraries(${name} PRIVATE duegate_warnings)
endfunction()

function(duegate_test_suite name)
  cmake_parse_arguments(T "" "DIR" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS "${T_DIR}/*.cpp")
  set(main "${CMAKE_CURRENT_BINARY_DIR}/${name}_main.cpp")
  file(WRITE "${main}.in" "#define BOOST_TEST_MODULE ${name}\n#include <boost/test/unit_test.hpp>\n")
  configure_file("${main}.in" "${main}" COPYONLY)
  add_executable(${name} ${main} ${srcs})
  target_link_libraries(${name} PRIVATE ${T_DEPS} Boost::unit_test_framework duegate_warnings)
  target_compile_definitions(${name} PRIVATE
    DUEGATE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DUEGATE_CORPUS_DIR="${PROJECT_SOURCE_DIR}/../shared/corpus")
  add_test(NAME ${name} COMMAND ${name} --log_level=test_suite --report_level=short)
  set_tests_properties(${name} PROPERTIES LABELS unit)
endfunction()
