package main
import (
 _ "fyne.io/fyne/v2/app"
 _ "fyne.io/fyne/v2/widget"
 _ "github.com/mattn/go-sqlite3"
 _ "github.com/xuri/excelize/v2"
 _ "github.com/zalando/go-keyring"
 _ "github.com/sethvargo/go-password/password"
)
func main(){}
