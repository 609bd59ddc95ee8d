package io.hookgate.support;

/**
 * A failure a caller can act on. Each kind maps to one HTTP status in one place (api.ProblemMapper)
 * and to a message on the page in the UI; the domain never names a status code.
 */
public abstract sealed class Problem extends RuntimeException {

    private final String code;

    private Problem(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static final class NotFound extends Problem {
        public NotFound(String what) {
            super("not_found", what + " not found");
        }

        /** With why, where telling helps: "destination 7 not found: "CRM" was deleted at …". */
        public NotFound(String what, String why) {
            super("not_found", what + " not found: " + why);
        }
    }

    /** Bad input; {@code field} names what to fix. */
    public static final class Invalid extends Problem {
        private final String field;

        public Invalid(String field, String message) {
            super("invalid_input", field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static final class Forbidden extends Problem {
        public Forbidden(String message) {
            super("forbidden", message);
        }
    }

    public static final class Conflict extends Problem {
        public Conflict(String message) {
            super("conflict", message);
        }
    }
}
