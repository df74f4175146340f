# SetupTarget.cmake -- expose cmake/setup.cmake as target `setup` and CTest test `setup`
#
# `cmake --build build --target setup` installs what is missing (as root).
# The CTest test `setup` (label setup, not compile) runs the script in
# check-only mode: it lists missing packages and fails if there are any.

include_guard(GLOBAL)

set(TCPSTATS_SETUP_SCRIPT "${PROJECT_SOURCE_DIR}/cmake/setup.cmake")

add_custom_target(setup
    COMMAND "${CMAKE_COMMAND}" -P "${TCPSTATS_SETUP_SCRIPT}"
    COMMENT "Installing missing build and test dependencies"
    USES_TERMINAL
    VERBATIM)

if(TCPSTATS_BUILD_TESTS)
    add_test(NAME setup
        COMMAND "${CMAKE_COMMAND}" -DCHECK_ONLY=ON -P "${TCPSTATS_SETUP_SCRIPT}")
    set_tests_properties(setup PROPERTIES LABELS setup)
endif()
