package org.lossgrid.output;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF from frames, with the JDK's ImageIO writer: each frame's delay in the Graphic
 * Control Extension, and the NETSCAPE2.0 extension to loop forever. Frames are mapped onto one fixed
 * palette (the turbo colour map, greys for text and the marks' colours), which is much faster than the
 * writer's own quantisation of each frame. After the first frame only the rectangle that changed is
 * stored, and within it the pixels that did not change are the transparent index (frames are not
 * disposed, so what is under them stays on screen): an animation over rendered surfaces then costs
 * little more than the surfaces.
 */
public final class Gif {
    /** The palette index that shows the previous frame through. */
    private static final int TRANSPARENT = 255;
    private static final IndexColorModel PALETTE = palette();
    private static final byte[] NEAREST = nearestTable();

    private Gif() {
    }

    /** The GIF of {@code frames}; frame i shows for {@code delays[i]} hundredths of a second. */
    public static byte[] encode(List<BufferedImage> frames, int[] delays) {
        if (frames.isEmpty() || frames.size() != delays.length) {
            throw new IllegalArgumentException(frames.size() + " frames, " + delays.length + " delays");
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            int[] previous = null;
            for (int f = 0; f < frames.size(); f++) {
                BufferedImage frame = frames.get(f);
                int width = frame.getWidth();
                int[] pixels = pixels(frame);
                java.awt.Rectangle changed = previous == null ? new java.awt.Rectangle(0, 0, width, frame.getHeight())
                        : changed(previous, pixels, width, frame.getHeight());
                BufferedImage indexed = indexed(pixels, previous, width, changed);
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(indexed), param);
                configure(metadata, delays[f], f == 0, changed);
                writer.writeToSequence(new IIOImage(indexed, null, metadata), param);
                previous = pixels;
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The frame's pixels as packed RGB, row by row. */
    private static int[] pixels(BufferedImage frame) {
        if (frame.getType() == BufferedImage.TYPE_INT_RGB
                && frame.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferInt ints
                && ints.getNumBanks() == 1 && ints.getData().length == frame.getWidth() * frame.getHeight()) {
            return ints.getData();
        }
        return frame.getRGB(0, 0, frame.getWidth(), frame.getHeight(), null, 0, frame.getWidth());
    }

    /** The smallest rectangle holding every pixel that differs between the two frames (at least 1 x 1). */
    static java.awt.Rectangle changed(int[] before, int[] after, int width, int height) {
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (before[row + x] != after[row + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? new java.awt.Rectangle(0, 0, 1, 1) : new java.awt.Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static void configure(IIOMetadata metadata, int delay, boolean first, java.awt.Rectangle at)
            throws IOException {
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode descriptor = child(root, "ImageDescriptor");
        descriptor.setAttribute("imageLeftPosition", Integer.toString(at.x));
        descriptor.setAttribute("imageTopPosition", Integer.toString(at.y));
        descriptor.setAttribute("imageWidth", Integer.toString(at.width));
        descriptor.setAttribute("imageHeight", Integer.toString(at.height));
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", first ? "FALSE" : "TRUE");
        control.setAttribute("delayTime", Integer.toString(delay));
        control.setAttribute("transparentColorIndex", Integer.toString(TRANSPARENT));
        if (first) {
            IIOMetadataNode applications = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0});
            applications.appendChild(loop);
        }
        metadata.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /**
     * The rectangle {@code at} of the frame as palette indices; pixels equal to the previous frame's (where
     * there is one) become the transparent index.
     */
    private static BufferedImage indexed(int[] pixels, int[] previous, int width, java.awt.Rectangle at) {
        byte[] indices = new byte[at.width * at.height];
        for (int y = 0; y < at.height; y++) {
            int row = (at.y + y) * width + at.x;
            for (int x = 0; x < at.width; x++) {
                int rgb = pixels[row + x];
                indices[y * at.width + x] = previous != null && previous[row + x] == rgb ? (byte) TRANSPARENT : nearest(rgb);
            }
        }
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                new java.awt.image.DataBufferByte(indices, indices.length), at.width, at.height, at.width, 1, new int[] {0},
                null);
        return new BufferedImage(PALETTE, raster, false, null);
    }

    /** The palette entry nearest to {@code rgb}, looked up by its colour at 5 bits per channel. */
    private static byte nearest(int rgb) {
        return NEAREST[(rgb >> 9 & 0x7c00) | (rgb >> 6 & 0x3e0) | (rgb >> 3 & 0x1f)];
    }

    /** For each colour at 5 bits per channel, the nearest palette entry (never the transparent one), by squared distance. */
    private static byte[] nearestTable() {
        byte[] table = new byte[1 << 15];
        int[] reds = new int[TRANSPARENT];
        int[] greens = new int[TRANSPARENT];
        int[] blues = new int[TRANSPARENT];
        for (int i = 0; i < TRANSPARENT; i++) {
            reds[i] = PALETTE.getRed(i);
            greens[i] = PALETTE.getGreen(i);
            blues[i] = PALETTE.getBlue(i);
        }
        for (int cell = 0; cell < table.length; cell++) {
            int r = (cell >> 10 << 3) + 4;
            int g = ((cell >> 5 & 31) << 3) + 4;
            int b = ((cell & 31) << 3) + 4;
            int best = 0;
            int bestDistance = Integer.MAX_VALUE;
            for (int i = 0; i < TRANSPARENT; i++) {
                int dr = r - reds[i];
                int dg = g - greens[i];
                int db = b - blues[i];
                int distance = dr * dr + dg * dg + db * db;
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = i;
                }
            }
            table[cell] = (byte) best;
        }
        return table;
    }

    /** 192 turbo colours, 48 greys, and the marks' colours. */
    private static IndexColorModel palette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int i = 0;
        for (; i < 192; i++) {
            int rgb = ColorMap.rgb(i / 191.0);
            r[i] = (byte) (rgb >> 16);
            g[i] = (byte) (rgb >> 8);
            b[i] = (byte) rgb;
        }
        for (int k = 0; k < 48; k++, i++) {
            int v = Math.round(k * 255f / 47);
            r[i] = (byte) v;
            g[i] = (byte) v;
            b[i] = (byte) v;
        }
        for (Color c : new Color[] {LessonCharts.RED, LessonCharts.ORANGE, LessonCharts.BLUE, new Color(230, 0, 200),
            new Color(255, 255, 180), new Color(255, 235, 200), new Color(200, 200, 255), new Color(220, 240, 220)}) {
            r[i] = (byte) c.getRed();
            g[i] = (byte) c.getGreen();
            b[i] = (byte) c.getBlue();
            i++;
        }
        for (; i < TRANSPARENT; i++) {
            r[i] = r[0];
            g[i] = g[0];
            b[i] = b[0];
        }
        // a colour no drawing uses, so that the colour mapping never picks the transparent index
        r[TRANSPARENT] = 3;
        g[TRANSPARENT] = (byte) 251;
        b[TRANSPARENT] = 7;
        return new IndexColorModel(8, TRANSPARENT + 1, r, g, b);
    }
}
