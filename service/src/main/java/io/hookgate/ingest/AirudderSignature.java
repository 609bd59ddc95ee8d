package io.hookgate.ingest;

import io.hookgate.support.Digests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/** AIRUDDER's rule: {@code Sign = lowercase hex of md5(utf8(TaskID + KEY))}. */
public final class AirudderSignature {

    private AirudderSignature() {
    }

    public static String sign(String taskId, byte[] keyUtf8) {
        return HexFormat.of().formatHex(md5(taskId, keyUtf8));
    }

    /** Constant-time comparison, so response timing reveals nothing about the expected value. */
    public static boolean matches(String taskId, String sign, byte[] keyUtf8) {
        if (taskId == null || sign == null || sign.length() != 32) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(md5(taskId, keyUtf8)).getBytes(StandardCharsets.US_ASCII);
        // hex digits compare case-insensitively; everything else must match exactly
        return MessageDigest.isEqual(expected, sign.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] md5(String taskId, byte[] keyUtf8) {
        byte[] task = taskId.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[task.length + keyUtf8.length];
        System.arraycopy(task, 0, input, 0, task.length);
        System.arraycopy(keyUtf8, 0, input, task.length, keyUtf8.length);
        return Digests.md5(input);
    }
}
