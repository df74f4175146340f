# SkippedTest.cmake -- register a CTest test that reports "skipped" with its reason
#
# tcpstats_add_skipped_test(<name> REASON <text> [LABELS <label>...])
# For a test that cannot run on this host (no valgrind, no libFuzzer...):
# CTest lists it as Skipped and its output says why, instead of the test
# vanishing or passing without doing anything.

include_guard(GLOBAL)

function(tcpstats_add_skipped_test name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "REASON" "LABELS")
    if(NOT arg_REASON)
        message(FATAL_ERROR "tcpstats_add_skipped_test(${name}): REASON missing")
    endif()
    add_test(NAME ${name}
        COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED ${name}: ${arg_REASON}")
    set_tests_properties(${name} PROPERTIES
        SKIP_REGULAR_EXPRESSION "SKIPPED ${name}: "
        LABELS "${arg_LABELS}")
endfunction()
