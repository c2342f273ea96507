/* sk_fault_cases.h — fault cases run end to end through the driver on any backend
 * (issue 10): the same cases, unchanged, on the C device model and on the Verilated
 * RTL; each backend's main only builds its HAL. */
#ifndef SHIFTKIT_TESTS_SK_FAULT_CASES_H
#define SHIFTKIT_TESTS_SK_FAULT_CASES_H

#include "shiftkit/sk_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs every case on hal, printing "ok|FAIL <backend> <case>" per case and, when
 * json_path is not NULL, writing {"backend", "cases": {name: "pass"|"fail"}, "run",
 * "passed"}. Returns the number of failed cases. */
int sk_fault_run_all(const sk_hal *hal, const char *backend, const char *json_path);

#ifdef __cplusplus
}
#endif
#endif
