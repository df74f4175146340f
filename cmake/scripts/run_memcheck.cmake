# run_memcheck.cmake -- run a Criterion binary under memcheck and fail on any process's errors
#
#   cmake -D VALGRIND=<valgrind> -D TEST_EXECUTABLE=<binary> -D LOG_DIR=<dir>
#         -P run_memcheck.cmake
# See cmake/Memcheck.cmake for why every process is logged and checked.

cmake_minimum_required(VERSION 3.25)

foreach(var VALGRIND TEST_EXECUTABLE LOG_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_memcheck.cmake: -D ${var}=... missing")
    endif()
endforeach()

file(REMOVE_RECURSE "${LOG_DIR}")
file(MAKE_DIRECTORY "${LOG_DIR}")

execute_process(
    COMMAND "${VALGRIND}" --tool=memcheck --trace-children=yes
        --leak-check=full --errors-for-leak-kinds=definite,indirect
        --show-leak-kinds=definite,indirect
        --error-exitcode=1 "--log-file=${LOG_DIR}/memcheck.%p.log"
        "${TEST_EXECUTABLE}" --jobs=2
    RESULT_VARIABLE rc)

file(GLOB logs "${LOG_DIR}/memcheck.*.log")
list(LENGTH logs nlogs)
set(bad "")
set(checked 0)
foreach(log IN LISTS logs)
    file(READ "${log}" text)
    if(text MATCHES "ERROR SUMMARY: ([0-9]+) errors")
        math(EXPR checked "${checked} + 1")
        if(NOT CMAKE_MATCH_1 EQUAL 0)
            list(APPEND bad "${log}")
            message("==== ${log}\n${text}")
        endif()
    endif()
endforeach()

message(STATUS "memcheck: ${checked} processes checked (${nlogs} logs in "
    "${LOG_DIR}), exit status ${rc}")
if(bad)
    list(LENGTH bad n)
    message(FATAL_ERROR "memcheck: ${n} processes reported errors or leaks")
endif()
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "memcheck: ${TEST_EXECUTABLE} exited with '${rc}'")
endif()
if(checked EQUAL 0)
    message(FATAL_ERROR "memcheck: no process reported an error summary")
endif()
message(STATUS "memcheck: no errors, no definite or indirect leaks")
