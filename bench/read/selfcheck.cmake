# selfcheck.cmake -- run one tool with arguments and check its exit status
# and its stderr: -D CMD=<binary> -D ARGS=<list> -D WANT_RC=<n>
# -D WANT_RE=<regex stderr must match>
execute_process(COMMAND "${CMD}" ${ARGS}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE errout
    TIMEOUT 20)
if(NOT rc STREQUAL "${WANT_RC}")
    message(FATAL_ERROR "${CMD} ${ARGS}: expected exit ${WANT_RC}, got "
        "'${rc}'\nstderr: ${errout}")
endif()
if(NOT "${out}${errout}" MATCHES "${WANT_RE}")
    message(FATAL_ERROR "${CMD} ${ARGS}: expected output matching "
        "'${WANT_RE}', got: '${errout}'")
endif()
message(STATUS "${CMD} ${ARGS}: exit ${rc}, stderr as expected")
