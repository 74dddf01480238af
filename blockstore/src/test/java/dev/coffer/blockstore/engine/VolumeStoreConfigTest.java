package dev.coffer.blockstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeStoreConfigTest {
    @TempDir
    Path temp;

    @Test
    void theBlockCacheHasTheConfiguredCapacity() throws Exception {
        try (VolumeStore store = VolumeStore.open(temp, new VolumeStoreConfig(3L << 20))) {
            assertThat(store.blockCacheCapacityBytes()).isEqualTo(3L << 20);
        }
    }

    @Test
    void theDefaultBlockCacheIs128MiB() throws Exception {
        try (VolumeStore store = VolumeStore.open(temp)) {
            assertThat(store.blockCacheCapacityBytes()).isEqualTo(128L << 20)
                    .isEqualTo(VolumeStoreConfig.DEFAULT_BLOCK_CACHE_SIZE_BYTES);
        }
    }

    @Test
    void rejectsABlockCacheSmallerThanOneMiB() {
        assertThat(new VolumeStoreConfig(1L << 20).blockCacheSizeBytes()).isEqualTo(VolumeStoreConfig.MIN_BLOCK_CACHE_SIZE_BYTES);
        assertThatThrownBy(() -> new VolumeStoreConfig((1L << 20) - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1048576");
    }
}
