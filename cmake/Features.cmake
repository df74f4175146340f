# Features.cmake -- record each feature's state and print the configure summary
#
# tcpstats_feature(<name> <ON|OFF> <why>) records one line; modules and
# subdirectories call it where they decide.  tcpstats_print_summary() prints
# every recorded line once, at the end of the top-level CMakeLists.txt.

include_guard(GLOBAL)

function(tcpstats_feature name state why)
    string(REPLACE ";" " " why "${why}")
    if(state)
        set(word "enabled ")
    else()
        set(word "disabled")
    endif()
    string(LENGTH "${name}" len)
    set(pad "")
    if(len LESS 22)
        math(EXPR n "22 - ${len}")
        string(REPEAT " " ${n} pad)
    endif()
    set_property(GLOBAL APPEND PROPERTY TCPSTATS_FEATURES
        "${name}${pad} ${word}  ${why}")
endfunction()

function(tcpstats_print_summary)
    get_property(lines GLOBAL PROPERTY TCPSTATS_FEATURES)
    message(STATUS "")
    message(STATUS "tcpstats ${PROJECT_VERSION} configuration "
        "(${CMAKE_SYSTEM_NAME}, ${CMAKE_C_COMPILER_ID} "
        "${CMAKE_C_COMPILER_VERSION}, ${CMAKE_BUILD_TYPE})")
    foreach(line IN LISTS lines)
        message(STATUS "  ${line}")
    endforeach()
    message(STATUS "")
endfunction()
