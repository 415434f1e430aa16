package org.openkms.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void matchesIpv4Networks() {
        Cidr net = Cidr.parse("192.168.0.0/16");
        assertThat(net.contains("192.168.3.4")).isTrue();
        assertThat(net.contains("192.169.0.1")).isFalse();
        assertThat(net.contains("::ffff:192.168.3.4")).isTrue();
        assertThat(Cidr.parse("10.0.0.1").contains("10.0.0.1")).isTrue();
        assertThat(Cidr.parse("10.0.0.1").contains("10.0.0.2")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
    }

    @Test
    void matchesIpv6Networks() {
        assertThat(Cidr.parse("::1").contains("::1")).isTrue();
        assertThat(Cidr.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:1::5")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db9::5")).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains("10.0.0.1")).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains("::1")).isFalse();
    }

    @Test
    void rejectsWhatIsNotAnAddressWithoutLookingUpNames() {
        assertThatThrownBy(() -> Cidr.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cidr.parse("10.0.0.0/8").contains("example.com")).isFalse();
    }
}
