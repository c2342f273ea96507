// sk_core_if.vh — the host-window port shared by sk_axil_top.v and sk_core.v:
// bit i of host_win selects window i. `include inside a module body.

localparam integer WinDesc    = 0;
localparam integer WinBias    = 1;
localparam integer WinShift   = 2;
localparam integer WinAct0    = 3;
localparam integer WinAct1    = 4;
localparam integer WinWeights = 5;
localparam integer WinXdesc   = 6;  // CNN builds only
localparam integer NumWins    = 7;
