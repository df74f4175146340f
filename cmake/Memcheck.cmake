# Memcheck.cmake -- run a Criterion binary under Valgrind memcheck, errors and leaks fatal
#
# tcpstats_add_memcheck_test(<name> <target> [LABELS <label>...])
# registers one CTest test running the whole binary with --jobs=2 under
#   valgrind --trace-children=yes --leak-check=full
#            --errors-for-leak-kinds=definite,indirect --error-exitcode=1
# Criterion runs each test in a child process that it re-executes, so
# --trace-children=yes is what puts the test bodies under memcheck, and
# Criterion ignores a child's exit status once the test body returned, so
# valgrind's exit code alone would miss a leak.  cmake/scripts/
# run_memcheck.cmake therefore gives each process its own log and fails
# the test when any log reports an error.  "Possibly lost" blocks (the
# runner's IPC library keeps some) are not errors.  Skipped, with the
# reason, when valgrind is missing or the build is sanitized.

include_guard(GLOBAL)

set(_TCPSTATS_MEMCHECK_SCRIPT
    "${CMAKE_CURRENT_LIST_DIR}/scripts/run_memcheck.cmake")

function(tcpstats_add_memcheck_test name target)
    cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "LABELS")
    if(NOT TCPSTATS_VALGRIND)
        tcpstats_add_skipped_test(${name} LABELS ${arg_LABELS}
            REASON "valgrind not found; install it with: cmake -P cmake/setup.cmake")
        tcpstats_feature("${name}" OFF "valgrind not found")
        return()
    endif()
    if(TCPSTATS_SANITIZE)
        tcpstats_add_skipped_test(${name} LABELS ${arg_LABELS}
            REASON "valgrind cannot run a build sanitized with ${TCPSTATS_SANITIZE}")
        tcpstats_feature("${name}" OFF "TCPSTATS_SANITIZE is set")
        return()
    endif()
    add_test(NAME ${name}
        COMMAND "${CMAKE_COMMAND}"
            -D "VALGRIND=${TCPSTATS_VALGRIND}"
            -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
            -D "LOG_DIR=${CMAKE_CURRENT_BINARY_DIR}/${name}-logs"
            -P "${_TCPSTATS_MEMCHECK_SCRIPT}")
    set_tests_properties(${name} PROPERTIES
        LABELS "${arg_LABELS}"
        TIMEOUT 1800)
    tcpstats_feature("${name}" ON "${target} under ${TCPSTATS_VALGRIND}")
endfunction()
