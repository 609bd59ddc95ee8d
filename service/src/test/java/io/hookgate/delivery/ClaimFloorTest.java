package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimFloorTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    private final ClaimFloor floor = new ClaimFloor();

    @Test
    void theFirstClaimReadsFromTheStart() {
        assertThat(floor.next(T0).sweep()).isTrue();
    }

    @Test
    void theNextClaimStartsAMarginBeforeTheOldestDeliveryTaken() {
        ClaimFloor.Bound first = floor.next(T0);
        floor.claimed(first, Optional.of(T0.minusSeconds(60)), false);

        ClaimFloor.Bound second = floor.next(T0.plusMillis(100));
        assertThat(second.from()).isEqualTo(T0.minusSeconds(60).minus(ClaimFloor.MARGIN));
    }

    @Test
    void theFloorNeverMovesBackOnABoundedClaim() {
        floor.claimed(floor.next(T0), Optional.of(T0), false);
        ClaimFloor.Bound bounded = floor.next(T0.plusSeconds(1));
        floor.claimed(bounded, Optional.of(T0.minusSeconds(30)), false); // taken in the margin: older than the floor allows

        assertThat(floor.next(T0.plusSeconds(2)).from()).isEqualTo(T0.minus(ClaimFloor.MARGIN));
    }

    @Test
    void aClaimThatTookNothingRaisesTheFloorToAMarginBeforeItsTime() {
        // nothing sendable was due up to T0 + 1 s: a disabled destination's older backlog is left to the sweeps
        floor.claimed(floor.next(T0), Optional.empty(), false);
        assertThat(floor.next(T0.plusSeconds(1)).from()).isEqualTo(T0.minus(ClaimFloor.MARGIN));
        floor.claimed(floor.next(T0.plusSeconds(1)), Optional.empty(), false);

        assertThat(floor.next(T0.plusSeconds(2)).from()).isEqualTo(T0.plusSeconds(1).minus(ClaimFloor.MARGIN));
    }

    @Test
    void aClaimThatTookNothingButLeftOutBusyDestinationsLeavesTheFloor() {
        floor.claimed(floor.next(T0), Optional.of(T0), false);
        floor.claimed(floor.next(T0.plusSeconds(30)), Optional.empty(), true);

        assertThat(floor.next(T0.plusSeconds(31)).from()).isEqualTo(T0.minus(ClaimFloor.MARGIN));
    }

    @Test
    void aClaimThatLeftOutBusyDestinationsDoesNotRaiseTheFloorPastTheirDeliveries() {
        floor.claimed(floor.next(T0), Optional.of(T0), false);
        ClaimFloor.Bound bound = floor.next(T0.plusSeconds(1));
        floor.claimed(bound, Optional.of(T0.plusSeconds(60)), true);

        assertThat(floor.next(T0.plusSeconds(2)).from()).isEqualTo(T0.minus(ClaimFloor.MARGIN));
    }

    @Test
    void aDeliveryGivenBackLowersTheFloorToItsDueTime() {
        floor.claimed(floor.next(T0), Optional.of(T0), false);
        floor.givenBack(T0.minusSeconds(3600));

        assertThat(floor.next(T0.plusSeconds(1)).from()).isEqualTo(T0.minusSeconds(3600));
    }

    @Test
    void aDeliveryGivenBackWhileAClaimRunsKeepsThatClaimFromRaisingTheFloor() {
        floor.claimed(floor.next(T0), Optional.of(T0), false);
        ClaimFloor.Bound running = floor.next(T0.plusSeconds(1));
        floor.givenBack(T0.minusSeconds(3600));
        floor.claimed(running, Optional.of(T0.plusSeconds(1)), false);

        assertThat(floor.next(T0.plusSeconds(2)).from()).isEqualTo(T0.minusSeconds(3600));
    }

    @Test
    void aSweepFromTheStartComesEverySweepIntervalAndFindsWhatLandedBehindTheFloor() {
        floor.claimed(floor.next(T0), Optional.of(T0), false);
        assertThat(floor.next(T0.plus(ClaimFloor.SWEEP_INTERVAL).minusMillis(1)).sweep()).isFalse();

        ClaimFloor.Bound sweep = floor.next(T0.plus(ClaimFloor.SWEEP_INTERVAL));
        assertThat(sweep.sweep()).isTrue();
        floor.claimed(sweep, Optional.of(T0.minusSeconds(120)), false); // an ingest committed late

        assertThat(floor.next(T0.plus(ClaimFloor.SWEEP_INTERVAL).plusMillis(1)).from())
            .isEqualTo(T0.minusSeconds(120).minus(ClaimFloor.MARGIN));
    }
}
