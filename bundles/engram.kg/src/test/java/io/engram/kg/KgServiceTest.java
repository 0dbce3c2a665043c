package io.engram.kg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings from config/engram.kg.cfg reach the engine; a value out of range keeps the last good one. */
class KgServiceTest {

    @Test
    void settingsApplyAndABadValueKeepsTheLastGoodOne() {
        KgService service = new KgService(KgService.SETTINGS.defaults(), Map.of());
        assertEquals(KgSettings.DEFAULTS, service.settings());

        service.modified(KgService.SETTINGS.defaults(), Map.of("responseBudgetChars", " 1200", "maxLimit", "50"));
        assertEquals(new KgSettings(1200, 50), service.settings());

        service.modified(KgService.SETTINGS.defaults(), Map.of("responseBudgetChars", "10", "maxLimit", "0"));
        assertEquals(new KgSettings(1200, 50), service.settings(), "both below their minimum: kept");
    }
}
