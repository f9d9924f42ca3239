# cmake/msstun-wundef.cmake
#
# msstun_check_wundef(VAR): sets VAR (cached) when Wireshark's installed
# headers compile with -Wundef -Werror, so that -Wundef is used only there.
# They do not everywhere: 4.2.2's ws_compiler_tests.h (Ubuntu 24.04) tests
# __GNUC_PATCHLEVEL, which no compiler defines, and from 4.2 on
# ws_diag_control.h tests WS_GCC_VERSION, which only GCC gets (checked on
# 4.0.17, 4.2.2, 4.4.19 and 4.6.9).  Needs the epan target.
#
# SPDX-License-Identifier: GPL-2.0-or-later

include(CheckCSourceCompiles)

function(msstun_check_wundef var)
    get_target_property(_ws_includes epan INTERFACE_INCLUDE_DIRECTORIES)
    set(CMAKE_REQUIRED_INCLUDES ${_ws_includes})
    set(CMAKE_REQUIRED_FLAGS "-Wundef -Werror")
    check_c_source_compiles("#include <wireshark.h>\n#include <epan/packet.h>\nint main(void) { return 0; }" ${var})
    if(NOT ${var})
        message(STATUS "Wireshark's headers fail -Wundef: building without it")
    endif()
endfunction()
