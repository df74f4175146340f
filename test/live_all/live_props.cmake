# live_props.cmake -- the CTest properties of the live tests in test/stats,
# test/dos, test/dtrace and test/livebench
#
# tcpstats_live_props(<out> [SERIAL]) sets <out> to PROPERTIES pairs for
# tcpstats_discover_criterion_tests(): the provider fixture of test/live
# (tcpstatsd on Linux), the run's exporter fixture (test/live_all) and
# their environment; SERIAL adds RUN_SERIAL for tests that change global
# tunables or assert global counters.  A value holding several items
# escapes its semicolons, so that it stays one PROPERTIES value.

set(TCPSTATS_LIVE_EXPORTER_ADDR "127.0.0.1:19814" CACHE STRING
    "address of the exporter the live_all run starts for the live tests")

function(tcpstats_live_props out)
    cmake_parse_arguments(PARSE_ARGV 1 arg "SERIAL" "" "")
    set(fixtures tcpstats_exporter)
    set(env "TCPSTATS_EXPORTER=${TCPSTATS_LIVE_EXPORTER_ADDR}")
    set(props "")
    if(DEFINED TCPSTATS_LIVE_FIXTURE)
        list(PREPEND fixtures ${TCPSTATS_LIVE_FIXTURE})
        list(APPEND env ${TCPSTATS_LIVE_DEV_ENV})
        if(DEFINED TCPSTATS_LIVE_MNT_ENV)
            list(APPEND props ENVIRONMENT_MODIFICATION
                "${TCPSTATS_LIVE_MNT_ENV}")
        endif()
    endif()
    string(REPLACE ";" "\\;" fixtures "${fixtures}")
    string(REPLACE ";" "\\;" env "${env}")
    list(APPEND props FIXTURES_REQUIRED "${fixtures}" ENVIRONMENT "${env}")
    if(arg_SERIAL)
        list(APPEND props RUN_SERIAL TRUE)
    endif()
    set(${out} "${props}" PARENT_SCOPE)
endfunction()
