# criterion_discover.cmake -- list a Criterion binary's tests and write their add_test() calls
#
# Run as a POST_BUILD step by tcpstats_discover_criterion_tests():
#   cmake -D TEST_EXECUTABLE=<binary> -D ARGS_FILE=<params> -D OUT_FILE=<out>
#         -P criterion_discover.cmake
#
# `<binary> --list` under LC_ALL=C prints, for Criterion 2.4:
#   suite: 2 tests
#   |-- first_test
#   `-- second_test (skipped)
# (a UTF-8 locale draws the tree with U+251C/U+2514 instead; both are read).
# Suites and tests come sorted by name; "(skipped)" marks .disabled tests;
# a ParameterizedTest appears once.  The script checks that every suite
# lists as many tests as its header announces.

cmake_minimum_required(VERSION 3.25)

foreach(var TEST_EXECUTABLE ARGS_FILE OUT_FILE)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "criterion_discover.cmake: -D ${var}=... missing")
    endif()
endforeach()
include("${ARGS_FILE}")

function(bracket out value)
    set(eq "=")
    while(value MATCHES "\\]${eq}\\]")
        string(APPEND eq "=")
    endwhile()
    set(${out} "[${eq}[${value}]${eq}]" PARENT_SCOPE)
endfunction()

function(regex_escape out value)
    string(REGEX REPLACE "([][.*+?^$()|\\\\{}])" "\\\\\\1" value "${value}")
    set(${out} "${value}" PARENT_SCOPE)
endfunction()

# Write the file in one step, so a concurrent ctest reads old or new.
function(write_atomically content)
    file(WRITE "${OUT_FILE}.tmp" "${content}")
    file(RENAME "${OUT_FILE}.tmp" "${OUT_FILE}")
endfunction()

# One failing test instead of the suite, carrying the reason.
function(fail_discovery)
    string(CONCAT why ${ARGV})
    string(REPLACE "\n" "\n#   " commented "${why}")
    set(name "${TARGET}_DISCOVERY_FAILED")
    bracket(q_why "${TARGET}: test discovery failed: ${why}")
    write_atomically(
"# ${TARGET}: discovery failed (generated, do not edit)
#   ${commented}
add_test(${name} \"${CMAKE_COMMAND}\" -E echo ${q_why})
set_tests_properties(${name} PROPERTIES WILL_FAIL TRUE)
")
    message(WARNING "${TARGET}: Criterion test discovery failed: ${why}")
    # The build goes on; ctest reports the placeholder as failed.
    return()
endfunction()

execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env LC_ALL=C "${TEST_EXECUTABLE}" --list
    WORKING_DIRECTORY "${WORKING_DIRECTORY}"
    TIMEOUT ${DISCOVERY_TIMEOUT}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    fail_discovery("`${TEST_EXECUTABLE} --list` returned '${rc}' "
        "(timeout ${DISCOVERY_TIMEOUT} s):\n${out}${err}")
    return()
endif()

# The lines of the listing, in order.  Semicolons would split them; test
# names are C identifiers and cannot hold one.
string(REPLACE ";" "" out "${out}")
string(REPLACE "\n" ";" lines "${out}")

set(names "")
set(suite "")
set(announced 0)
set(seen 0)
set(problems "")
foreach(line IN LISTS lines)
    if(line MATCHES "^([A-Za-z0-9_]+): ([0-9]+) tests?$")
        if(NOT suite STREQUAL "" AND NOT seen EQUAL announced)
            string(APPEND problems "suite ${suite}: announced ${announced}, "
                "listed ${seen}\n")
        endif()
        set(suite "${CMAKE_MATCH_1}")
        set(announced "${CMAKE_MATCH_2}")
        set(seen 0)
    elseif(line MATCHES "^(\\|-- |`-- |├── |└── )([A-Za-z0-9_]+)( \\(skipped\\))?$")
        if(suite STREQUAL "")
            string(APPEND problems "test before any suite: '${line}'\n")
        else()
            list(APPEND names "${suite}/${CMAKE_MATCH_2}")
            math(EXPR seen "${seen} + 1")
        endif()
    elseif(NOT line STREQUAL "")
        string(APPEND problems "unexpected line: '${line}'\n")
    endif()
endforeach()
if(NOT suite STREQUAL "" AND NOT seen EQUAL announced)
    string(APPEND problems
        "suite ${suite}: announced ${announced}, listed ${seen}\n")
endif()
if(problems)
    fail_discovery("cannot read the --list output:\n${problems}")
    return()
endif()
if(NOT names)
    fail_discovery("`${TEST_EXECUTABLE} --list` lists no tests")
    return()
endif()

# Criterion's summary line when it ran nothing.
set(nothing_run
    "Synthesis: Tested: 0 \\| Passing: 0 \\| Failing: 0 \\| Crashing: 0")

bracket(q_exe "${TEST_EXECUTABLE}")
set(q_extra "")
foreach(a IN LISTS EXTRA_ARGS)
    bracket(q "${a}")
    string(APPEND q_extra " ${q}")
endforeach()
bracket(q_wd "${WORKING_DIRECTORY}")
bracket(q_labels "${LABELS}")
bracket(q_fail "${nothing_run}")
set(q_props "")
set(i 0)
list(LENGTH PROPERTIES nprops)
while(i LESS nprops)
    list(GET PROPERTIES ${i} key)
    math(EXPR i "${i} + 1")
    list(GET PROPERTIES ${i} value)
    math(EXPR i "${i} + 1")
    bracket(q "${value}")
    string(APPEND q_props "\n    ${key} ${q}")
endwhile()

list(LENGTH names count)
set(content "# ${TARGET}: ${count} Criterion tests (generated from --list, do not edit)\n")
foreach(name IN LISTS names)
    string(REPLACE "/" "::" shown "${name}")
    regex_escape(shown_re "${shown}")
    bracket(q_name "${name}")
    # Skipped: this test's [SKIP] line, and nothing tested at all.
    bracket(q_skip "\\[SKIP\\] ${shown_re}: .*${nothing_run}")
    string(APPEND content
"add_test(${q_name} ${q_exe} --verbose --filter ${q_name}${q_extra})
set_tests_properties(${q_name} PROPERTIES
    WORKING_DIRECTORY ${q_wd}
    LABELS ${q_labels}
    SKIP_REGULAR_EXPRESSION ${q_skip}
    FAIL_REGULAR_EXPRESSION ${q_fail}${q_props})
")
endforeach()
write_atomically("${content}")
