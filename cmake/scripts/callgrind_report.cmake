# callgrind_report.cmake -- run a benchmark under Callgrind; report instructions per call of the functions it times
#
#   cmake -D VALGRIND=<valgrind> -D BENCH=<bench_parse> -D ITERATIONS=<n>
#         -D OUT_DIR=<dir> [-D KINDS=<kind>=<function>;...]
#         -P callgrind_report.cmake
#
# KINDS names what each timed loop calls; the default is bench_parse's
# "parse=tcpstats_filter_parse;match=tcpstats_filter_match" (bench_visit:
# "visit=tsd_visit").  The benchmark lists its workloads with -l, zeroes
# Callgrind's counters before each timed loop and dumps them after it,
# naming the dump "<kind> <workload>" (client requests,
# valgrind/callgrind.h).  In each dump, every call site of the kind's
# function carries a line
#   calls=<count> <target position>
#   <source position> <inclusive instructions>
# The sum of the inclusive instructions over the sum of the counts is the
# exact cost of one call: the function and everything it calls, without
# the loop around it.  The counts must add up to <n>, or the report fails.
# The table also goes to <dir>/callgrind-summary.txt.

cmake_minimum_required(VERSION 3.25)

foreach(var VALGRIND BENCH ITERATIONS OUT_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "callgrind_report.cmake: -D ${var}=... missing")
    endif()
endforeach()

if(NOT DEFINED KINDS)
    set(KINDS "parse=tcpstats_filter_parse;match=tcpstats_filter_match")
endif()
set(kinds "")
foreach(k IN LISTS KINDS)
    if(NOT k MATCHES "^([a-z_]+)=([A-Za-z_][A-Za-z0-9_]*)$")
        message(FATAL_ERROR "callgrind_report.cmake: KINDS item '${k}' "
            "is not <kind>=<function>")
    endif()
    list(APPEND kinds "${CMAKE_MATCH_1}")
    set(fn_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
endforeach()
get_filename_component(bench_name "${BENCH}" NAME)

file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")

execute_process(
    COMMAND "${BENCH}" -l
    OUTPUT_VARIABLE workloads RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "callgrind: '${BENCH} -l' failed (${rc})")
endif()
string(STRIP "${workloads}" workloads)
string(REPLACE "\n" ";" workloads "${workloads}")

execute_process(
    COMMAND "${VALGRIND}" --tool=callgrind --compress-strings=no
        --compress-pos=no "--callgrind-out-file=${OUT_DIR}/callgrind.out"
        "${BENCH}" -n ${ITERATIONS}
    WORKING_DIRECTORY "${OUT_DIR}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE bench_out
    ERROR_VARIABLE valgrind_err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "callgrind: ${bench_name} failed (${rc}):\n"
        "${bench_out}${valgrind_err}")
endif()

# Sum calls and inclusive cost of the calls to one function in one dump.
function(sum_calls file fn out_calls out_cost)
    file(STRINGS "${file}" lines REGEX "^(cfn=|calls=|[0-9+-])")
    set(calls 0)
    set(cost 0)
    set(in_fn OFF)
    set(want_cost OFF)
    foreach(line IN LISTS lines)
        if(want_cost)
            string(REGEX MATCH "[0-9]+$" c "${line}")
            math(EXPR cost "${cost} + ${c}")
            set(want_cost OFF)
        elseif(line MATCHES "^cfn=(.*)$")
            if(CMAKE_MATCH_1 STREQUAL fn)
                set(in_fn ON)
            else()
                set(in_fn OFF)
            endif()
        elseif(in_fn AND line MATCHES "^calls=([0-9]+) ")
            math(EXPR calls "${calls} + ${CMAKE_MATCH_1}")
            set(want_cost ON)
        endif()
    endforeach()
    set(${out_calls} ${calls} PARENT_SCOPE)
    set(${out_cost} ${cost} PARENT_SCOPE)
endfunction()

# Which dump holds which loop?
file(GLOB dumps "${OUT_DIR}/callgrind.out.*")
foreach(dump IN LISTS dumps)
    file(STRINGS "${dump}" trigger REGEX "^desc: Trigger: Client Request: ")
    if(trigger MATCHES "Client Request: ([a-z_]+) (.+)$")
        set(dump_${CMAKE_MATCH_1}_${CMAKE_MATCH_2} "${dump}")
    endif()
endforeach()

# n.d: one decimal, integer arithmetic (cost up to ~10^10 fits in 64 bits).
function(per_call cost calls out)
    math(EXPR tenths "(${cost} * 10 + ${calls} / 2) / ${calls}")
    math(EXPR whole "${tenths} / 10")
    math(EXPR frac "${tenths} % 10")
    set(${out} "${whole}.${frac}" PARENT_SCOPE)
endfunction()

function(pad text width out)
    string(LENGTH "${text}" len)
    set(result "${text}")
    if(len LESS width)
        math(EXPR n "${width} - ${len}")
        string(REPEAT " " ${n} spaces)
        string(APPEND result "${spaces}")
    endif()
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

pad("workload" 22 head)
foreach(kind IN LISTS kinds)
    string(LENGTH "per ${kind}" len)
    math(EXPR n "12 - ${len}")
    if(n LESS 1)
        set(n 1)
    endif()
    string(REPEAT " " ${n} spaces)
    string(APPEND head "${spaces}per ${kind}")
endforeach()
string(CONCAT report
    "callgrind: instructions per call (mean over the benchmark's inputs), "
    "${bench_name} -n ${ITERATIONS}\n"
    "${head}\n")
set(problems "")
foreach(w IN LISTS workloads)
    set(row "")
    pad("${w}" 22 row)
    foreach(kind IN LISTS kinds)
        if(NOT DEFINED dump_${kind}_${w})
            string(APPEND problems "no Callgrind dump for '${kind} ${w}'\n")
            string(APPEND row "           -")
            continue()
        endif()
        sum_calls("${dump_${kind}_${w}}" "${fn_${kind}}" calls cost)
        if(NOT calls EQUAL ITERATIONS)
            string(APPEND problems "${kind} ${w}: ${calls} calls to "
                "${fn_${kind}} recorded, expected ${ITERATIONS}\n")
            string(APPEND row "           -")
            continue()
        endif()
        per_call(${cost} ${calls} v)
        string(LENGTH "${v}" len)
        math(EXPR n "12 - ${len}")
        string(REPEAT " " ${n} spaces)
        string(APPEND row "${spaces}${v}")
    endforeach()
    string(APPEND report "${row}\n")
endforeach()

file(WRITE "${OUT_DIR}/callgrind-summary.txt" "${report}")
message("${report}")
if(problems)
    message(FATAL_ERROR "callgrind: ${problems}")
endif()
