package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Property: whatever the environment and system properties were, and however awscli() blocks nest and fail,
 * afterwards everything is exactly as before. jqwik runs these one at a time, so global state is not shared.
 */
class RestorationPropertyTests {
    private static final List<String> NAMES = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL",
            "BSM_SNAPSHOT_FILE");

    /** One awscli() block: what it sets and removes, and whether its body throws. */
    record Block(Map<String, Optional<String>> variables, boolean throwsInside) {
    }

    @Provide
    Arbitrary<Map<String, Optional<String>>> states() {
        Arbitrary<Optional<String>> value = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
                .optional(0.6);
        return Arbitraries.subsetOf(NAMES).flatMap(names -> {
            List<Arbitrary<Optional<String>>> values = names.stream().map(n -> value).toList();
            return Combinators.combine(values).as(list -> {
                Map<String, Optional<String>> state = new LinkedHashMap<>();
                int i = 0;
                for (String name : names) {
                    state.put(name, list.get(i++));
                }
                return state;
            });
        });
    }

    @Provide
    Arbitrary<List<Block>> blocks() {
        return Combinators.combine(states(), Arbitraries.of(true, false)).as(Block::new).list().ofMinSize(1)
                .ofMaxSize(5);
    }

    @Property(tries = 300)
    void nestedBlocksThatFailLeaveEverythingExactlyAsBefore(@ForAll("states") Map<String, Optional<String>> initial,
            @ForAll("blocks") List<Block> blocks) {
        try (AwsCliEnvironment setup = AwsCliEnvironment.open(new AwsCliVariables(initial))) {
            GlobalState before = GlobalState.capture();
            try {
                run(blocks, 0);
            } catch (IllegalStateException expected) {
                assertThat(expected).hasMessageStartingWith("failure inside block");
            }
            assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
        }
    }

    private static void run(List<Block> blocks, int index) {
        Block block = blocks.get(index);
        try (AwsCliEnvironment inside = AwsCliEnvironment.open(new AwsCliVariables(block.variables()))) {
            block.variables().forEach((name, value) -> assertThat(Optional.ofNullable(System.getenv(name)))
                    .as(name).isEqualTo(value));
            if (index + 1 < blocks.size()) {
                run(blocks, index + 1);
            }
            if (block.throwsInside()) {
                throw new IllegalStateException("failure inside block " + index);
            }
        }
    }

    private final GlobalState original = GlobalState.capture();

    @AfterProperty
    void theWholeRunLeftNothingBehind() {
        assertThat(GlobalState.capture().differencesFrom(original)).isEmpty();
    }
}
