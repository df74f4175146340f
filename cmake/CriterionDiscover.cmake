# CriterionDiscover.cmake -- register each Criterion Test() as its own CTest test
#
#   tcpstats_discover_criterion_tests(<target>
#       [LABELS <label>...]            # labels of every discovered test
#       [PROPERTIES <prop> <value>...] # applied to every discovered test
#       [EXTRA_ARGS <arg>...]          # extra arguments to the test binary
#       [WORKING_DIRECTORY <dir>]      # default: the current binary dir
#       [DISCOVERY_TIMEOUT <seconds>]) # for `<binary> --list`, default 10
#
# How it works.  After every link of <target>, a POST_BUILD step runs
# `<binary> --list` (cmake/scripts/criterion_discover.cmake) and writes
# <target>_tests.cmake next to the binary: one add_test() per Criterion
# test, named `suite/name`, running
#   <binary> --verbose --filter suite/name <EXTRA_ARGS>
# The directory's TEST_INCLUDE_FILES property loads that file whenever
# ctest runs, so a new Test() appears after a rebuild, with no reconfigure.
#
# Outcomes, as CTest reports them:
#   passed    Criterion exited 0 and ran at least one test;
#   failed    Criterion exited non-zero (an assertion failed or the test
#             crashed), or the filter matched nothing ("Synthesis: Tested:
#             0" with no skip line for this test) -- a renamed or deleted
#             test never passes silently;
#   skipped   the test called cr_skip_test() or is .disabled: Criterion
#             prints "[SKIP] suite::name: <reason>" and tests nothing.
#
# Parameterized tests.  Criterion 2.4 lists a ParameterizedTest once and
# has no way to select one parameter set from the command line, so each is
# registered once and runs all its parameter sets; it passes only if every
# set passes.  It is reported skipped only if every set skipped.
#
# Placeholders.  When ctest runs before the binary exists, one test
# `<target>_NOT_BUILT` fails and says so; when `--list` failed or timed out,
# one test `<target>_DISCOVERY_FAILED` fails with the binary's output.

include_guard(GLOBAL)

set(_TCPSTATS_CRITERION_DISCOVER_SCRIPT
    "${CMAKE_CURRENT_LIST_DIR}/scripts/criterion_discover.cmake")

# Quote any string as a bracket argument that its content cannot close.
function(_tcpstats_bracket out value)
    set(eq "=")
    while(value MATCHES "\\]${eq}\\]")
        string(APPEND eq "=")
    endwhile()
    set(${out} "[${eq}[${value}]${eq}]" PARENT_SCOPE)
endfunction()

function(tcpstats_discover_criterion_tests target)
    cmake_parse_arguments(PARSE_ARGV 1 arg ""
        "WORKING_DIRECTORY;DISCOVERY_TIMEOUT" "LABELS;PROPERTIES;EXTRA_ARGS")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "tcpstats_discover_criterion_tests(${target}): "
            "unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT TARGET ${target})
        message(FATAL_ERROR "tcpstats_discover_criterion_tests: "
            "no target named '${target}'")
    endif()
    if(NOT arg_WORKING_DIRECTORY)
        set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
    endif()
    if(NOT arg_DISCOVERY_TIMEOUT)
        set(arg_DISCOVERY_TIMEOUT 10)
    endif()
    list(LENGTH arg_PROPERTIES nprops)
    math(EXPR odd "${nprops} % 2")
    if(odd)
        message(FATAL_ERROR "tcpstats_discover_criterion_tests(${target}): "
            "PROPERTIES needs <name> <value> pairs")
    endif()

    set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}")
    set(args_file "${base}_discover_args.cmake")
    set(include_file "${base}_include.cmake")
    set(tests_file "${base}_tests-$<CONFIG>.cmake")

    # The POST_BUILD step reads its parameters from a file, so lists and
    # odd characters need no command-line escaping.
    set(content "# ${target}: parameters of the Criterion test discovery\n")
    foreach(var TARGET LABELS PROPERTIES EXTRA_ARGS WORKING_DIRECTORY
            DISCOVERY_TIMEOUT)
        if(var STREQUAL "TARGET")
            set(value "${target}")
        else()
            set(value "${arg_${var}}")
        endif()
        _tcpstats_bracket(q "${value}")
        string(APPEND content "set(${var} ${q})\n")
    endforeach()
    file(WRITE "${args_file}" "${content}")

    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND "${CMAKE_COMMAND}"
            -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
            -D "ARGS_FILE=${args_file}"
            -D "OUT_FILE=${tests_file}"
            -P "${_TCPSTATS_CRITERION_DISCOVER_SCRIPT}"
        COMMENT "Discovering Criterion tests in ${target}"
        VERBATIM)

    # Loaded by ctest: the discovered tests, or a placeholder saying why
    # there are none.  One file per configuration.
    set(per_config "${base}_include-$<CONFIG>.cmake")
    _tcpstats_bracket(q_exe "$<TARGET_FILE:${target}>")
    _tcpstats_bracket(q_tests "${tests_file}")
    _tcpstats_bracket(q_cmake "${CMAKE_COMMAND}")
    file(GENERATE OUTPUT "${per_config}" CONTENT
"# ${target}: Criterion tests for ctest (generated, do not edit)
if(NOT EXISTS ${q_exe})
    add_test(${target}_NOT_BUILT ${q_cmake} -E echo
        \"${target} was not built: run cmake --build on this build tree\")
    set_tests_properties(${target}_NOT_BUILT PROPERTIES WILL_FAIL TRUE)
elseif(NOT EXISTS ${q_tests})
    add_test(${target}_NOT_BUILT ${q_cmake} -E echo
        \"${target} exists but its tests were never listed: rebuild it\")
    set_tests_properties(${target}_NOT_BUILT PROPERTIES WILL_FAIL TRUE)
else()
    include(${q_tests})
endif()
")

    get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
    if(multi)
        file(WRITE "${include_file}"
"# ${target}: pick the configuration ctest runs (generated)
if(CTEST_CONFIGURATION_TYPE)
    include(\"${base}_include-\${CTEST_CONFIGURATION_TYPE}.cmake\")
else()
    add_test(${target}_NO_CONFIG \"${CMAKE_COMMAND}\" -E echo
        \"${target}: multi-config build, run ctest with -C <config>\")
    set_tests_properties(${target}_NO_CONFIG PROPERTIES WILL_FAIL TRUE)
endif()
")
    else()
        file(WRITE "${include_file}"
"# ${target}: the only configuration of this build tree (generated)
include(\"${base}_include-${CMAKE_BUILD_TYPE}.cmake\")
")
    endif()
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES
        "${include_file}")
endfunction()
