package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The closing tables of a run of several rounds: ratios against each round's own floor, medians over the rounds. */
class SummaryTableTest {
    private static final Endpoint TARGET = Endpoint.parse("http://127.0.0.1:8080", false);

    /** {@code ok} requests in one second, {@code cpuMicros} of server CPU each. */
    private static BenchMain.Measured run(String label, int round, long ok, double cpuMicros) {
        Histogram h = LatencyStats.newHistogram();
        LatencyStats.record(h, 500_000);
        BenchResult r = new BenchResult(
                ok, 0, 0, 1_000_000_000L, LatencyStats.of(h), null, -1, (long) (cpuMicros * 1000 * ok), 16, 0, true);
        return new BenchMain.Measured(label, label, r, 0, TARGET, false, null, round);
    }

    private static List<BenchMain.Measured> threeRounds() {
        List<BenchMain.Measured> runs = new ArrayList<>();
        // Round 2's Encrypt ran while a neighbour took the CPU: its floor was fine, the load was not.
        long[][] rates = {{30_000, 18_000}, {32_000, 8_000}, {20_000, 12_000}};
        double[] cpu = {60, 200, 70};
        for (int round = 1; round <= 3; round++) {
            runs.add(run("GET /healthz (floor)", round, rates[round - 1][0], 30));
            runs.add(run("Encrypt", round, rates[round - 1][1], cpu[round - 1]));
        }
        return runs;
    }

    @Test
    void everyLoadIsComparedWithTheFloorOfItsOwnRound() {
        List<BenchMain.Measured> runs = threeRounds();
        assertThat(SummaryTable.xFloor(runs, runs.get(1), false)).isCloseTo(0.6, within());
        assertThat(SummaryTable.xFloor(runs, runs.get(3), false)).isCloseTo(0.25, within());
        assertThat(SummaryTable.xFloor(runs, runs.get(5), false)).isCloseTo(0.6, within());
        assertThat(SummaryTable.xFloor(runs, runs.get(5), true)).isNaN();
    }

    @Test
    void theMedianTableLeavesOneDisturbedRoundOut() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryTable.printMedians(new PrintStream(bytes, true, StandardCharsets.UTF_8), threeRounds(), false, 3);
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("median of 3 rounds");
        // x floor 0.60, 0.25, 0.60: median 0.60, range 0.25-0.60; server CPU 60, 200, 70 us: median 70.0
        assertThat(table).containsPattern("Encrypt +12,000 .* 0\\.60 +0\\.25-0\\.60 +70\\.0 ");
        assertThat(table).containsPattern("GET /healthz \\(floor\\) +30,000 .* 1\\.00 +1\\.00-1\\.00 +30\\.0 ");
    }

    @Test
    void aRamUsersLoadIsComparedWithTheRootsOfItsRoundAndTheMedianCloses() {
        List<BenchMain.Measured> runs = new ArrayList<>();
        long[] rootRates = {20_000, 10_000, 20_000};
        long[] userRates = {19_000, 11_000, 21_000};
        for (int round = 1; round <= 3; round++) {
            BenchMain.Measured root = run("Encrypt", round, rootRates[round - 1], 60);
            runs.add(root);
            BenchMain.Measured user = run("Encrypt as RAM user", round, userRates[round - 1], 66);
            runs.add(new BenchMain.Measured(user.label(), "Encrypt", user.result(), 0, TARGET, true, root, round));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryTable.printMedians(new PrintStream(bytes, true, StandardCharsets.UTF_8), runs, true, 3);
        // x root 0.95, 1.10, 1.05; CPU 1.10 x in every round
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("Encrypt as RAM user: median 1.05 x the root's req/s over 3 rounds (0.95-1.10), server CPU"
                        + " per request median 1.10 x the root's (1.10-1.10)");
    }

    @Test
    void anEvenNumberOfValuesHasTheMeanOfTheMiddleTwoForMedian() {
        assertThat(SummaryTable.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(SummaryTable.median(new double[] {5})).isEqualTo(5);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
