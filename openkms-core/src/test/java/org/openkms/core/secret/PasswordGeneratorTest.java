package org.openkms.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordGeneratorTest {
    @Test
    void accountPasswordsNeedNoQuotingAnywhere() {
        for (int i = 0; i < 200; i++) {
            assertThat(PasswordGenerator.forAccount())
                    .hasSize(32)
                    .matches("[A-Za-z0-9_.~-]+")
                    .matches(".*[0-9].*")
                    .matches(".*[a-z].*")
                    .matches(".*[A-Z].*")
                    .matches(".*[_.~-].*");
        }
    }

    @Test
    void requireEachIncludedTypeHoldsEvenAtMinimumLength() {
        PasswordGenerator.Options o = new PasswordGenerator.Options(8, false, false, false, false, "", true);
        for (int i = 0; i < 200; i++) {
            assertThat(PasswordGenerator.generate(o))
                    .hasSize(8)
                    .matches(".*[0-9].*")
                    .matches(".*[a-z].*")
                    .matches(".*[A-Z].*")
                    .matches(".*[^A-Za-z0-9].*");
        }
    }
}
