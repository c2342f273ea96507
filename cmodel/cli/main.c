/* main.c — the core `shiftkit` binary: the CLI with the golden backend only. */
#include "sk_cli.h"

int main(int argc, char **argv)
{
    static const sk_backend *const backends[] = { &sk_golden_backend };
    return sk_cli_main(argc, argv, backends, 1);
}
