"""test_synth.py — unit tests of the synthesis report and QoR gate scripts
(`make test-synth-scripts`). Tolerances come from issue 7 (LCs/LUTs +5%, Fmax -10%),
cell counts from Yosys' own netlist, never from the code under test."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qor  # noqa: E402
import synth  # noqa: E402


def report(lc=4000, fmax=50.0, lut=3000, requant=500, lanes=(8,)):
    return {
        "ice40_up5k_by_lanes": [
            {"lanes": n, "fits": True, "lc_used": lc, "fmax_mhz": {"median": fmax}} for n in lanes],
        "xc7": {"lanes": 8, "lut": lut},
        "requant": {"shift": {"ice40": {"lut4": requant}}},
    }


class QorGate(unittest.TestCase):
    def setUp(self):
        self.base = qor.make_baseline(report())

    def check(self, result):
        problems, _ = qor.compare(result, self.base)
        return problems

    def test_same_figures_pass(self):
        self.assertEqual(self.check(report()), [])

    def test_lc_growth_over_5_percent_fails(self):
        self.assertEqual(len(self.check(report(lc=4201))), 1)   # +5.025%
        self.assertEqual(self.check(report(lc=4200)), [])       # +5.000% is allowed

    def test_lut_and_requant_growth_fail(self):
        self.assertEqual(len(self.check(report(lut=3151, requant=526))), 2)

    def test_fmax_drop_over_10_percent_fails(self):
        self.assertEqual(len(self.check(report(fmax=44.9))), 1)  # -10.2%
        self.assertEqual(self.check(report(fmax=45.0)), [])      # -10.0% is allowed

    def test_improvements_pass(self):
        self.assertEqual(self.check(report(lc=3000, fmax=80.0, lut=2000, requant=100)), [])

    def test_unmeasured_figures_are_skipped_but_not_all(self):
        base = qor.make_baseline(report(lanes=(1, 4, 8)))
        problems, lines = qor.compare(report(lanes=(8,)), base)
        self.assertEqual(problems, [])
        self.assertEqual(sum("skipped" in l for l in lines), 4)
        problems, _ = qor.compare({"ice40_up5k_by_lanes": []}, base)
        self.assertEqual(len(problems), 1)

    def test_design_that_stopped_fitting_fails(self):
        result = report()
        result["ice40_up5k_by_lanes"][0] = {"lanes": 8, "fits": False, "error": "x"}
        self.assertEqual(len(self.check(result)), 2)  # its LCs and its Fmax


class Sdc(unittest.TestCase):
    def test_board_sdc(self):
        clocks = dict(synth.sdc_clocks(synth.SDC))
        self.assertAlmostEqual(clocks["CLK"], 12.0, places=2)
        self.assertAlmostEqual(clocks["clk"], 48.0, places=2)

    def test_bad_line_names_file_and_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".sdc", dir=synth.ROOT, delete=False) as f:
            f.write("# comment\ncreate_clock -name x [get_ports CLK]\n")
        try:
            with self.assertRaisesRegex(ValueError, r"\.sdc:2: create_clock"):
                synth.sdc_clocks(os.path.relpath(f.name, synth.ROOT))
        finally:
            os.remove(f.name)


class Summaries(unittest.TestCase):
    def test_xc7(self):
        s = synth.xc7_summary({"LUT1": 1, "LUT6": 5, "FDRE": 7, "FDCE": 2, "FDSE": 1,
                               "RAMB36E1": 2, "RAMB18E1": 3, "DSP48E1": 4, "CARRY4": 9,
                               "RAM64M": 2, "MUXF7": 8})
        self.assertEqual((s["lut"], s["ff"], s["dsp"], s["bram"], s["lutram"]), (6, 10, 4, 3.5, 2))

    @unittest.skipIf(shutil.which("yosys") is None, "yosys not installed")
    def test_ice40_lut_count_matches_netlist(self):
        with tempfile.TemporaryDirectory() as work:
            stat = synth.yosys(work, "tx", ["rtl/boards/sk_uart_tx.v"], "sk_uart_tx", {},
                               ["synth_ice40 -top sk_uart_tx",
                                "write_json %s/tx.json" % work])
            with open(os.path.join(work, "tx.json")) as f:
                netlist = json.load(f)
            cells = netlist["modules"]["sk_uart_tx"]["cells"].values()
            luts = sum(1 for c in cells if c["type"] == "SB_LUT4")
            self.assertGreater(luts, 0)
            self.assertEqual(synth.ice40_summary(synth.cells(stat))["lut4"], luts)


if __name__ == "__main__":
    unittest.main()
