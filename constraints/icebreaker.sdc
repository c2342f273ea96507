# icebreaker.sdc — clocks of rtl/boards/sk_icebreaker_top.v.
# nextpnr-ice40 0.4 reads no SDC: scripts/synth/synth.py turns each create_clock below
# into a pre-pack `ctx.addClock(<net>, <MHz>)` call, so this file is the one source of
# the timing targets that the Fmax figures in build/reports/synth.json are measured against.
create_clock -name clk_osc  -period 83.333 [get_ports CLK]   ;# 12 MHz board oscillator
create_clock -name clk_core -period 20.833 [get_nets clk]    ;# 48 MHz from SB_PLL40_PAD
