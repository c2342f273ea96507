# arty_a7_35t.xdc — pins and clock of rtl/boards/sk_arty_top.v on a Digilent Arty A7-35T
# (xc7a35ticsg324-1L). Pin sites from Digilent's Arty-A7-35-Master.xdc. Only resource
# counts are produced here (no vendor tool is available); Vivado reads this file as is.
set_property -dict { PACKAGE_PIN E3  IOSTANDARD LVCMOS33 } [get_ports { CLK100MHZ }]
create_clock -add -name sys_clk_pin -period 10.000 -waveform {0 5} [get_ports { CLK100MHZ }]

# ck_rst: the red RESET button, active low
set_property -dict { PACKAGE_PIN C2  IOSTANDARD LVCMOS33 } [get_ports { ck_rst }]

# USB-UART bridge (FT2232 channel B): names from the FPGA's point of view in the
# master XDC: uart_txd_in is the host's TXD (FPGA input), uart_rxd_out goes to the host.
set_property -dict { PACKAGE_PIN A9  IOSTANDARD LVCMOS33 } [get_ports { uart_txd_in }]
set_property -dict { PACKAGE_PIN D10 IOSTANDARD LVCMOS33 } [get_ports { uart_rxd_out }]

# LD4 (green LED 0): done interrupt; LD5: held in reset
set_property -dict { PACKAGE_PIN H5  IOSTANDARD LVCMOS33 } [get_ports { led[0] }]
set_property -dict { PACKAGE_PIN J5  IOSTANDARD LVCMOS33 } [get_ports { led[1] }]

# The UART and button inputs are asynchronous: they go through two-flop synchronisers.
set_false_path -from [get_ports { uart_txd_in ck_rst }]
set_false_path -to   [get_ports { uart_rxd_out led[*] }]
