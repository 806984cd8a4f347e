package dev.bsm.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Python library's snapshot format: a flat JSON object with {@code region_name},
 * {@code aws_access_key_id}, {@code aws_secret_access_key} and, only when there is one, {@code aws_session_token}.
 * Written exactly as Python's {@code json.dumps} writes it, so files are interchangeable byte for byte.
 */
final class SnapshotCodec {
    static final String REGION_NAME = "region_name";
    static final String ACCESS_KEY_ID = "aws_access_key_id";
    static final String SECRET_ACCESS_KEY = "aws_secret_access_key";
    static final String SESSION_TOKEN = "aws_session_token";
    static final List<String> KEYS = List.of(REGION_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);

    /** A snapshot holds four short strings; anything bigger is not a snapshot. */
    static final int MAX_BYTES = 64 * 1024;

    // Source excerpts in parse errors could quote a secret, so they are switched off.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python writes NaN; reject it as a wrong type later
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SnapshotCodec() {
    }

    /** Python's {@code json.dumps(snapshot)}: {@code ", "} and {@code ": "} separators, non-ASCII escaped. */
    static String toJson(Map<String, String> snapshot) {
        StringBuilder json = new StringBuilder("{");
        snapshot.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(", ");
            }
            json.append(quote(key)).append(": ").append(value == null ? "null" : quote(value));
        });
        return json.append('}').toString();
    }

    /** Python's {@code json} encoder with {@code ensure_ascii}: everything outside space..~ is escaped. */
    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default -> {
                    if (c < ' ' || c > '~') {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * Reads a snapshot file: only a regular file (a symbolic link is followed, and its target must be one), and
     * never more than {@link #MAX_BYTES} + 1 bytes of it, whatever its size says. A device would never end and a
     * FIFO without a writer would block the open, so the type is checked before the file is opened. The check and
     * the open are two steps: a path swapped for a FIFO in between still blocks (Java cannot open without
     * blocking), but whoever can swap the path can also write their own credentials into it.
     */
    static byte[] read(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidSnapshotException(file, "the file does not exist; write one with"
                    + " BotoSesManager.tempSnapshot(path) or set " + BotoSesManager.SNAPSHOT_FILE_VARIABLE
                    + " to an existing file", null);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (attributes.isDirectory()) {
            throw new InvalidSnapshotException(file, "the path is a directory, not a snapshot file", null);
        }
        if (!attributes.isRegularFile()) {
            throw new InvalidSnapshotException(file, "the path is not a regular file but a device, FIFO or socket;"
                    + " a snapshot is a regular file (or a symbolic link to one)", null);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidSnapshotException(file, "the file has more than " + MAX_BYTES + " bytes; a snapshot is"
                    + " at most " + MAX_BYTES + " bytes", null);
        }
        return bytes;
    }

    private static InvalidSnapshotException unreadable(Path file, IOException e) {
        // The type only: an IOException's message is about the file, but nothing requires it to be.
        return new InvalidSnapshotException(file, "the file cannot be read (" + e.getClass().getSimpleName()
                + "); check its permissions", e);
    }

    /** Decodes and parses a snapshot file's bytes; problems name the file and a position, never the content. */
    static Map<String, Object> parse(Path path, byte[] bytes) {
        if (bytes.length == 0) {
            throw new InvalidSnapshotException(path, "the file is empty; expected a JSON object with "
                    + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY, null);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSnapshotException(path, "the file is not UTF-8 text", null);
        }
        Object value;
        try {
            value = MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            // The parser's own message can quote the content, so only the position is reported.
            throw new InvalidSnapshotException(path, "the file is not valid JSON" + position
                    + " (truncated or not a snapshot?)", null);
        }
        if (!(value instanceof Map)) {
            throw new InvalidSnapshotException(path, "expected a JSON object, found " + jsonType(value), null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /**
     * Checks keys, types and characters; returns the four values (null where absent, and for an empty session
     * token) in {@link #KEYS} order. Problems name a key of bsm's, or an unknown key's position, never content:
     * a secret may sit under a wrong key, or in the region.
     */
    static Map<String, String> validate(Path path, Map<String, ?> snapshot) {
        if (snapshot == null) {
            throw new InvalidSnapshotException(path, "the snapshot is null", null);
        }
        int position = 0;
        for (Object key : snapshot.keySet()) {
            position++;
            if (!KEYS.contains(key)) {
                throw new InvalidSnapshotException(path, "key " + position + " of " + snapshot.size()
                        + " is not a snapshot key" + resemblance(key) + "; a snapshot has only " + KEYS
                        + " (the key is not shown: it could be a secret)", null);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KEYS) {
            Object value = snapshot.get(key);
            if (value != null && !(value instanceof String)) {
                throw new InvalidSnapshotException(path, "'" + key + "' must be a string, found " + jsonType(value),
                        null);
            }
            values.put(key, (String) value);
        }
        for (String required : List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY)) {
            String value = values.get(required);
            if (value == null || value.isBlank()) {
                throw new InvalidSnapshotException(path, "'" + required + "' is missing or empty", null);
            }
        }
        values.forEach((key, value) -> {
            if (value != null) {
                Validation.uncarriable("'" + key + "'", value).ifPresent(problem -> {
                    throw new InvalidSnapshotException(path, problem + "; the file is damaged or was not written"
                            + " by bsm or the Python library", null);
                });
            }
        });
        String token = values.get(SESSION_TOKEN);
        if (token != null && token.isEmpty()) {
            values.put(SESSION_TOKEN, null); // long-term keys: an empty token means none
        } else if (token != null && token.isBlank()) {
            throw new InvalidSnapshotException(path, "'" + SESSION_TOKEN + "' is blank; leave it out, null or empty"
                    + " for long-term keys", null);
        }
        String region = values.get(REGION_NAME);
        if (region != null) {
            try {
                Validation.region(region);
            } catch (InvalidConfigurationException e) {
                throw new InvalidSnapshotException(path, "'" + REGION_NAME + "': " + e.getMessage(), null);
            }
        }
        return values;
    }

    /** {@code " (a misspelled 'k'?)"} when the key is two edits or fewer from snapshot key k; names only k. */
    private static String resemblance(Object key) {
        if (key instanceof String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String known : KEYS) {
                if (Math.abs(lower.length() - known.length()) <= 2 && editDistance(lower, known) <= 2) {
                    return " (a misspelled '" + known + "'?)";
                }
            }
        }
        return "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String jsonType(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Map) {
            return "an object";
        } else if (value instanceof List) {
            return "an array";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Number) {
            return "a number";
        }
        return value.getClass().getSimpleName();
    }
}
