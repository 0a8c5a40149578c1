package ogr

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/luohe/onemap/geo"
)

// Limits bound what an archive may unpack to.
type Limits struct {
	Unpacked int64 // bytes, all entries together
	Entries  int
}

// errArchive is the error of an archive refused, with why.
func errArchive(code, zh, en string, args ...any) error {
	return geo.Invalid(code, "压缩包被拒绝："+zh, "archive refused: "+en, args...)
}

// Unzip unpacks the zip archive at file into dir, refusing archives that
// could write outside dir or fill the disk: entries with absolute paths or
// "..", links and other special files, more than l.Entries entries, more
// than l.Unpacked bytes in all (counted as they are written: the sizes an
// archive declares can lie), and duplicate names. Errors are KindInvalid;
// on error dir may hold part of the archive (the caller deletes it).
func Unzip(file, dir string, l Limits) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return geo.Invalid("bad_zip", "无法读取压缩包（不是有效的 zip 文件）", "cannot read the archive (not a valid zip file)")
	}
	defer zr.Close()
	if len(zr.File) > l.Entries {
		return errArchive("zip_too_many_entries", "文件数 %d 超过上限 %d", "%d entries, more than the limit of %d", len(zr.File), l.Entries)
	}
	var declared uint64
	for _, f := range zr.File {
		if _, err := entryPath(f); err != nil {
			return err
		}
		declared += f.UncompressedSize64
	}
	if declared > uint64(l.Unpacked) {
		return errArchive("zip_too_large", "解压后 %d MB，超过上限 %d MB", "it unpacks to %d MB, more than the limit of %d MB", declared>>20, l.Unpacked>>20)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	budget := l.Unpacked
	for _, f := range zr.File {
		name, _ := entryPath(f)
		if name == "" {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if f.Mode().IsDir() {
			if err := os.MkdirAll(target, 0o700); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		n, err := unzipEntry(f, target, budget)
		if errors.Is(err, errBudget) {
			return errArchive("zip_too_large", "解压后超过上限 %d MB", "it unpacks to more than the limit of %d MB", l.Unpacked>>20)
		}
		if err != nil {
			return err
		}
		budget -= n
	}
	return nil
}

// entryPath checks an entry's name and kind and returns its clean
// relative path ("" for entries skipped: macOS resource forks).
func entryPath(f *zip.File) (string, error) {
	name := strings.ReplaceAll(f.Name, "\\", "/")
	if strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':') {
		return "", errArchive("zip_path_escape", "“%s”是绝对路径", "entry %q has an absolute path", f.Name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", errArchive("zip_path_escape", "“%s”指向压缩包之外", "entry %q points outside the archive", f.Name)
		}
	}
	mode := f.Mode()
	if mode&fs.ModeSymlink != 0 {
		return "", errArchive("zip_link", "“%s”是符号链接", "entry %q is a symbolic link", f.Name)
	}
	if !mode.IsRegular() && !mode.IsDir() {
		return "", errArchive("zip_special_file", "“%s”不是普通文件", "entry %q is not a regular file", f.Name)
	}
	clean := path.Clean(name)
	if clean == "." || strings.HasPrefix(clean, "__MACOSX/") || clean == "__MACOSX" || strings.HasPrefix(path.Base(clean), "._") {
		return "", nil
	}
	return clean, nil
}

// errBudget: an entry unpacked to more than the archive's budget left.
var errBudget = errors.New("unpacked size over the limit")

// unzipEntry writes one entry to target, at most budget bytes.
func unzipEntry(f *zip.File, target string, budget int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, geo.Invalid("bad_zip", "无法读取压缩包中的“%s”", "cannot read entry %q of the archive", f.Name)
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return 0, errArchive("zip_duplicate", "“%s”出现了两次", "entry %q appears twice", f.Name)
	}
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) {
			return n, geo.Invalid("bad_zip", "压缩包中的“%s”已损坏", "entry %q of the archive is damaged", f.Name)
		}
		return n, fmt.Errorf("unzip %s: %w", f.Name, err)
	}
	if n > budget {
		return n, errBudget
	}
	return n, nil
}
