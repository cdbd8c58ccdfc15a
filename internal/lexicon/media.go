package lexicon

import "strings"

// mediaExts maps file extensions to the media they hold.
var mediaExts = func() map[string]string {
	m := map[string]string{}
	for media, exts := range map[string]string{
		"image": "jpg jpeg png gif bmp webp tif tiff svg heic",
		"audio": "wav mp3 flac ogg m4a aac opus wma aiff",
		"video": "mp4 mov avi mkv webm wmv flv m4v",
		"text":  "txt text md csv json xml html pdf doc docx rtf",
	} {
		for _, e := range strings.Fields(exts) {
			m[e] = media
		}
	}
	return m
}()

// FileMedia returns the medium a file name's extension says it holds (image, audio,
// video or text), or "" for a name without a known extension.
func FileMedia(name string) string {
	if k := strings.LastIndexByte(name, '.'); k >= 0 {
		return mediaExts[strings.ToLower(strings.Trim(name[k+1:], "'\""))]
	}
	return ""
}
