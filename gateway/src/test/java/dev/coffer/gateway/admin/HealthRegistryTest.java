package dev.coffer.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HealthRegistryTest {
    private final HealthRegistry registry = new HealthRegistry();

    @Test
    void reportsComponentsInRegistrationOrderAsTheDocumentedJson() {
        registry.register("admin", () -> HealthStatus.UP);
        registry.register("s3", () -> HealthStatus.NOT_BUILT);
        registry.register("kms", () -> HealthStatus.NOT_BUILT);

        assertThat(registry.report().toJson())
                .isEqualTo("{\"status\":\"UP\",\"services\":{\"admin\":\"UP\",\"s3\":\"NOT_BUILT\",\"kms\":\"NOT_BUILT\"}}");
    }

    @Test
    void notBuiltServicesDoNotMakeTheProcessDown() {
        registry.register("nbd", () -> HealthStatus.NOT_BUILT);

        assertThat(registry.report().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void oneDownComponentMakesTheProcessDown() {
        registry.register("admin", () -> HealthStatus.UP);
        registry.register("kms", () -> HealthStatus.DOWN);

        assertThat(registry.report().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void aCheckThatThrowsCountsAsDown() {
        registry.register("kms", () -> {
            throw new IllegalStateException("HSM session lost");
        });

        assertThat(registry.report().components()).containsEntry("kms", HealthStatus.DOWN);
    }

    @Test
    void rejectsNamesThatWouldNeedJsonEscapingAndDuplicates() {
        registry.register("s3", () -> HealthStatus.UP);

        assertThatThrownBy(() -> registry.register("S3\"", () -> HealthStatus.UP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register("s3", () -> HealthStatus.UP))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
