package org.openkms.server.api;

/** What goes back on the wire: status, content type and the encoded body. */
public record ApiResponse(int status, String contentType, byte[] body) {}
