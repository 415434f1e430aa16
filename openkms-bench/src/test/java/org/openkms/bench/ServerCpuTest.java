package org.openkms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCpuTest {

    @Test
    void statCpuIsUserPlusSystemTicksEvenWhenTheCommandHasSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 40 0 100 0 0";
        assertThat(ServerCpu.parseStatCpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void listeningInodeMatchesThePortInStateListenOnly() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:469A 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 111 1",
                "   1: 0100007F:469A 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 222 1",
                "   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 333 1");
        assertThat(ServerCpu.listeningInode(table, ":469A")).isEqualTo(222);
        assertThat(ServerCpu.listeningInode(table, ":0050")).isZero();
    }

    @Test
    void ownCpuTimeIsReadable() {
        ServerCpu self = new ServerCpu(ProcessHandle.current().pid());
        assertThat(self.cpuNanos()).isPositive();
    }
}
